import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

test('`pnpm start` without env vars runs against the embedded emulator and exits 0', async () => {
  const env = { ...process.env };
  delete env.WITBOOST_BASE_URL;
  delete env.WITBOOST_ACCESS_TOKEN;

  const { code, stdout, stderr } = await new Promise<{
    code: number | string | null | undefined;
    stdout: string;
    stderr: string;
  }>((resolve) => {
    execFile(tsx, ['src/main.ts'], { cwd: appDir, env, timeout: 20_000 }, (error, out, err) =>
      resolve({ code: error ? error.code : 0, stdout: out, stderr: err }),
    );
  });

  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(stdout).toMatch(
    /^Embedded Witboost emulator at http:\/\/127\.0\.0\.1:\d+, access token wbat-…\S{4}$/m,
  );
  expect(stdout).toContain('Catalog: 2 data product(s)');
  expect(stdout).toContain('Governance: campaign-performance satisfies policy require-owner');
  expect(stdout).toContain(
    'Requests: 3, token exchanges: (none) x1, service:computational-governance x1',
  );
  expect(stdout).not.toMatch(/wbat-[\w-]{20,}/);
});
