import type { ChildProcess } from 'node:child_process';
import { afterEach, expect, test } from 'vitest';
import { collect, exitCode, spawnCli, waitForOutput } from './cli-process.js';
import { basic, claims } from './helpers.js';

const children: ChildProcess[] = [];
function cli(args: string[]): ChildProcess {
  const child = spawnCli(args);
  children.push(child);
  return child;
}
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

const READY = /export WITBOOST_BASE_URL=(\S+)\nexport WITBOOST_ACCESS_TOKEN=(\S+)/;

test('prints its URL and a fresh token, serves exchanges, exits 0 on SIGTERM', async () => {
  const child = cli(['--port', '0', '--default-duration', '120']);
  const output = collect(child);
  const [, url = '', token = ''] = await waitForOutput(child, READY);
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(token).toMatch(/^wbat-[A-Za-z0-9_-]{35}$/);
  expect(output.stdout()).toContain(`curl -s -X POST ${url}/api/auth/access-tokens/jwt`);

  const res = await fetch(`${url}/api/auth/access-tokens/jwt`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ access_token: token }),
  });
  const { jwt } = (await res.json()) as { jwt: string };
  const { iat = 0, exp = 0 } = claims(jwt);
  expect(exp - iat).toBe(120);

  child.kill('SIGTERM');
  expect(await exitCode(child)).toBe(0);
  expect(output.stderr()).toBe('');
}, 20_000);

test('exits 0 on SIGINT; --basic-auth turns Basic on', async () => {
  const child = cli(['--port', '0', '--basic-auth']);
  const [, url = '', token = ''] = await waitForOutput(child, READY);
  const res = await fetch(`${url}/api/catalog/entities`, {
    headers: { authorization: basic('witboost', token) },
  });
  expect(res.status).toBe(200);
  child.kill('SIGINT');
  expect(await exitCode(child)).toBe(0);
}, 20_000);

test.each([
  [['--port', 'abc'], '--port must be an integer between 0 and 65535'],
  [['--port', '70000'], '--port must be'],
  [['--default-duration', '0'], '--default-duration must be'],
  [['--bogus'], "Unknown option '--bogus'"],
])(
  'bad flags %j: message, usage, exit 2',
  async (args, message) => {
    const child = cli(args);
    const output = collect(child);
    expect(await exitCode(child)).toBe(2);
    expect(output.stderr()).toContain(message);
    expect(output.stderr()).toContain('Usage: witboost-mock');
  },
  20_000,
);

test('--help prints usage and exits 0', async () => {
  const child = cli(['--help']);
  const output = collect(child);
  expect(await exitCode(child)).toBe(0);
  expect(output.stdout()).toContain('--basic-auth');
}, 20_000);
