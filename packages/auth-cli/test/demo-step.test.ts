import { startWitboostMock } from '@wb/witboost-mock';
import { expect, it } from 'vitest';
import { wbAuthSection } from '../demo/wb-auth-step.js';

it('the pnpm demo section runs against the emulator: token, header, curl through the proxy', async () => {
  await using wb = await startWitboostMock({ port: 0 });
  const lines: string[] = [];
  const cleanups: Array<() => unknown> = [];
  const tokens: string[] = [];
  const line = (text: string) => lines.push(text);
  try {
    await wbAuthSection.run({
      baseUrl: wb.url,
      issueAccessToken: (subject) => {
        tokens.push(wb.issueAccessToken({ subject }));
        return tokens.at(-1) ?? '';
      },
      check: (condition, message) => {
        if (!condition) throw new Error(message);
      },
      print: { request: line, ok: line, info: line },
      defer: (cleanup) => cleanups.push(cleanup),
    });
  } finally {
    for (const cleanup of cleanups) await cleanup();
  }
  expect(lines.join('\n')).toContain('a JWT for service-account:wb-auth');
  expect(lines.at(-1)).toBe('SIGTERM: drained and exited 0');
  for (const token of tokens) expect(lines.join('\n')).not.toContain(token);
});
