import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cleanEnv } from './helpers.js';

const exec = promisify(execFile);
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
let dir: string;
let wb: WitboostMock;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wb-auth-installed-'));
  wb = await startWitboostMock({ port: 0 });
  await exec('pnpm', ['pack', '--pack-destination', dir], { cwd: PACKAGE_DIR });
  await writeFile(join(dir, 'package.json'), '{"name":"consumer","private":true}');
  // The package has no runtime dependencies (core is bundled in), so this needs no registry.
  await exec(
    'npm',
    ['install', '--offline', '--no-audit', '--no-fund', './wb-auth-cli-0.0.0.tgz'],
    { cwd: dir },
  );
}, 120_000);
afterAll(async () => {
  await wb.close();
  await rm(dir, { recursive: true, force: true });
});

it('the bin from an npm install of the tarball prints a JWT', async () => {
  const bin = join(dir, 'node_modules', '.bin', 'wb-auth');
  const { stdout } = await exec(bin, ['token'], {
    env: cleanEnv({ WITBOOST_BASE_URL: wb.url, WITBOOST_ACCESS_TOKEN: wb.issueAccessToken() }),
  });
  expect(stdout).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/);
});

it('run() loads from the installed package, by import and by require', async () => {
  const esm = await exec(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "import { run } from '@wb/auth-cli'; process.exitCode = await run(['--version']);",
    ],
    { cwd: dir },
  );
  expect(esm.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  const cjs = await exec(
    process.execPath,
    ['-e', "require('@wb/auth-cli').run(['--version']).then((c) => { process.exitCode = c; })"],
    { cwd: dir },
  );
  expect(cjs.stdout).toBe(esm.stdout);
});
