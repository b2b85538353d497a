import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterEach, expect, it } from 'vitest';

let wb: WitboostMock | undefined;

afterEach(async () => {
  await wb?.close();
});

it('a process using keepWarm exits by itself once its script ends, without close()', async () => {
  wb = await startWitboostMock({ port: 0 });
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./fixtures/keep-warm-child.ts', import.meta.url))],
    {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { ...process.env, WB_URL: wb.url, WB_TOKEN: wb.issueAccessToken() },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  let doneAt = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (doneAt === 0 && stdout.includes('status')) doneAt = Date.now();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = await new Promise<{ code: number | null; at: number }>((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 8_000);
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, at: Date.now() });
    });
  });
  expect(stderr).toBe('');
  expect(stdout.trim()).toBe('status 200 cg ok');
  expect(exit.code).toBe(0);
  expect(exit.at - doneAt).toBeLessThan(2000);
  expect(wb.stats.exchanges.byScope).toEqual({
    '(none)': 1,
    'service:computational-governance': 1,
  });
}, 12_000);
