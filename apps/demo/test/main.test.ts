import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const run = promisify(execFile);
const appDir = fileURLToPath(new URL('..', import.meta.url));

test('`pnpm start` (tsx src/main.ts) exits 0 in seconds and prints every section', async () => {
  const started = performance.now();
  const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: appDir,
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 15_000,
  });
  expect(performance.now() - started).toBeLessThan(15_000);
  expect(stderr).toBe('');
  expect(stdout).toContain('1. Exchange an access token for a JWT');
  expect(stdout).toContain('403 "This API requires a JWT with scope');
  expect(stdout).toContain('What the emulator saw');
  expect(stdout).toContain('All steps passed.');
  // Not a TTY and NO_COLOR set: plain text.
  expect(stdout).not.toContain('\u001b[');
  // Never a usable credential on screen.
  expect(stdout).not.toMatch(/wbat-[A-Za-z0-9_-]{8,}/);
  expect(stdout).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}/);
});
