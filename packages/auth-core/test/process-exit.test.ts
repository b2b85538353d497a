import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterEach, expect, it } from 'vitest';

let wb: WitboostMock | undefined;
let server: Server | undefined;

afterEach(async () => {
  await wb?.close();
  wb = undefined;
  const open = server;
  server = undefined;
  if (open !== undefined) {
    open.closeAllConnections();
    await new Promise((resolve) => open.close(resolve));
  }
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

it('a keepWarm start-up exchange answered 503 Retry-After: 10 does not keep a finished script alive', async () => {
  let exchanges = 0;
  server = createServer((req, res) => {
    req.resume();
    exchanges++;
    res.writeHead(503, { 'retry-after': '10', 'content-type': 'application/json' });
    res.end('{"message":"maintenance"}');
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('./fixtures/keep-warm-503-child.ts', import.meta.url)),
    ],
    {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { ...process.env, WB_URL: url, WB_TOKEN: 'wbat-ChildTokenChildTokenChildToken0123' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  let startedAt = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (startedAt === 0 && stdout.includes('started')) startedAt = Date.now();
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
  expect(stdout.trim()).toBe('started');
  expect(exit.code).toBe(0);
  expect(exchanges).toBe(1);
  expect(exit.at - startedAt).toBeLessThan(2000);
}, 12_000);
