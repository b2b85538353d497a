import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterEach, expect, it } from 'vitest';
import { runFixture } from './support/run-fixture.js';

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
  const exit = await runFixture(
    'keep-warm-child.ts',
    { WB_URL: wb.url, WB_TOKEN: wb.issueAccessToken() },
    'status',
  );
  expect(exit.stderr).toBe('');
  expect(exit.stdout.trim()).toBe('status 200 cg ok');
  expect(exit.code).toBe(0);
  expect(exit.exitedAt - exit.markedAt).toBeLessThan(2000);
  expect(wb.stats.exchanges.byScope).toEqual({
    '(none)': 1,
    'service:computational-governance': 1,
  });
}, 45_000);

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
  const exit = await runFixture(
    'keep-warm-503-child.ts',
    { WB_URL: url, WB_TOKEN: 'wbat-ChildTokenChildTokenChildToken0123' },
    'started',
  );
  expect(exit.stderr).toBe('');
  expect(exit.stdout.trim()).toBe('started');
  expect(exit.code).toBe(0);
  expect(exchanges).toBe(1);
  expect(exit.exitedAt - exit.markedAt).toBeLessThan(2000);
}, 45_000);
