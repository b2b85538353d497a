import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { steps } from '../src/steps/index.js';

const run = promisify(execFile);
const appDir = fileURLToPath(new URL('..', import.meta.url));
const srcTsconfig = fileURLToPath(new URL('./tsconfig.src.json', import.meta.url));

test('`pnpm start` (tsx src/main.ts) tells the whole story, exit 0, well under a minute', async () => {
  const started = performance.now();
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', TSX_TSCONFIG_PATH: srcTsconfig };
  delete env.WITBOOST_BASE_URL;
  delete env.WITBOOST_ACCESS_TOKEN;
  // execFile rejects on a non-zero exit code, so reaching the assertions means exit 0.
  const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: appDir,
    env,
    timeout: 30_000,
  });
  expect(performance.now() - started).toBeLessThan(30_000);
  expect(stderr).toBe('');

  steps.forEach((step, i) => {
    expect(stdout).toContain(`${i + 1}. ${step.title}`);
  });
  expect(stdout).toContain(`${steps.length + 1}. Summary`);
  expect(stdout).toMatch(/section\s+requests\s+exchanges\s+failed\s+time/);
  expect(stdout).toMatch(/outage\s+\d+\s+5 \(3 failed\)\s+0\s/);
  expect(stdout).toMatch(/basic mode\s+2\s+0\s+0\s/);
  expect(stdout).toMatch(/total\s+\d+\s+\d+ \(\d+ failed\)\s+0\s/);
  expect(stdout).toContain('served from the cache: 0 exchanges');
  expect(stdout).toMatch(
    / exchange \(\d+ ms\): scope service:computational-governance, lifetime 300 s, expires in \d min \d+ s; refresh in \d min/,
  );
  expect(stdout).toContain('3 callers got token #1');
  expect(stdout).toMatch(/background exchange \(\d+ ms\): scope \(none\), lifetime 5 s/);
  expect(stdout).toContain('3 × 200 for the callers: 1 exchange, 3 replays');
  expect(stdout).toMatch(/exchange failed: HTTP 429 rate_limited, retry in 1\.0 s/);
  expect(stdout).toMatch(/All sections passed in \d/);
  expect(stdout).not.toContain('FAILED');
  // Not a TTY and NO_COLOR set: plain text.
  expect(stdout).not.toContain('\u001b[');
  // Never a usable credential on screen: at most `wbat-…abcd`, no JWT and no Basic value.
  expect(stdout).toMatch(/wbat-…[\w-]{4}\b/);
  expect(stdout).not.toMatch(/wbat-[A-Za-z0-9_-]{5,}/);
  expect(stdout).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}/);
  expect(stdout).not.toMatch(/(Basic|Bearer) [A-Za-z0-9+/=_-]{8,}/);
});
