import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

test('`pnpm start` without WITBOOST_* checks the emulator catalog and exits 0', async () => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.WITBOOST_BASE_URL;
  delete env.WITBOOST_ACCESS_TOKEN;

  // execFile rejects on a non-zero exit code: resolving means exit 0.
  const { stdout, stderr } = await promisify(execFile)(tsx, ['src/main.ts'], { cwd: appDir, env });

  expect(stderr).toBe('');
  expect(stdout).toMatch(/^Embedded Witboost emulator at \S+, access token wbat-…\S{4}$/m);
  expect(stdout).toContain('invoices: satisfies require-owner');
  expect(stdout).toContain('campaign-performance: satisfies require-owner');
  expect(stdout).not.toMatch(/wbat-\w{5}/);
});

test('one of the two variables alone is refused', async () => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WITBOOST_BASE_URL: 'https://witboost.example.com',
  };
  delete env.WITBOOST_ACCESS_TOKEN;

  const run = promisify(execFile)(tsx, ['src/main.ts'], { cwd: appDir, env });

  await expect(run).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringContaining('Set both WITBOOST_BASE_URL and WITBOOST_ACCESS_TOKEN'),
  });
});
