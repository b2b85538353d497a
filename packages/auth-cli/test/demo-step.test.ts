import { startWitboostMock } from '@wb/witboost-mock';
import { expect, it } from 'vitest';
import * as step from '../demo/wb-auth-step.js';

it('the pnpm demo section runs against the emulator: token, header, curl through the proxy', async () => {
  await using wb = await startWitboostMock({ port: 0 });
  const lines: string[] = [];
  const cleanups: Array<() => unknown> = [];
  const accessToken = wb.issueAccessToken({ subject: 'service-account:demo' });
  const line = (text: string) => lines.push(text);
  try {
    await step.run({
      baseUrl: wb.url,
      accessToken,
      report: { request: line, ok: line, info: line },
      defer: (cleanup) => cleanups.push(cleanup),
    });
  } finally {
    for (const cleanup of cleanups) await cleanup();
  }
  expect(lines.join('\n')).toContain('a JWT for service-account:demo');
  expect(lines.at(-1)).toBe('SIGTERM: drained and exited 0');
  expect(lines.join('\n')).not.toContain(accessToken);
});
