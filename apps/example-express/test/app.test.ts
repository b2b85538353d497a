import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { CALLER_TOKEN_HEADER, createApp } from '../src/app.js';

// The example app served on a free port, talking to the Witboost emulator over real HTTP.
let wb: WitboostMock;
let server: Server;
let url: string;
let close: () => Promise<void>;

beforeEach(async () => {
  wb = await startWitboostMock({ port: 0 });
  const service = wb.issueAccessToken({ subject: 'service-account:example' });
  const example = createApp({ baseUrl: wb.url, accessToken: service });
  close = example.close;
  server = example.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.close();
  await close();
  await wb.close();
});

const validate = (body: unknown) =>
  fetch(`${url}/policies/validate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

test('GET /data-products lists the catalog as the service', async () => {
  const res = await fetch(`${url}/data-products`);

  expect(res.status).toBe(200);
  expect(await res.json()).toEqual([
    { name: 'invoices', title: 'Invoices', owner: 'group:finance' },
    { name: 'campaign-performance', title: 'Campaign Performance', owner: 'group:marketing' },
  ]);
  expect(wb.stats.exchanges.byScope).toEqual({ '(none)': 1 });
});

test('POST /policies/validate asks Computational Governance with a CG-scoped JWT', async () => {
  const passing = await validate({ policy: 'require-owner', resource: { owner: 'group:finance' } });
  const failing = await validate({ policy: 'require-owner', resource: {} });

  expect(passing.status).toBe(200);
  expect(await passing.json()).toMatchObject({ satisfiesPolicy: true });
  expect(await failing.json()).toMatchObject({ satisfiesPolicy: false });
  // One JWT with the CG scope, exchanged once and reused.
  expect(wb.stats.exchanges.byScope).toEqual({ 'service:computational-governance': 1 });
});

test('GET /me/data-products acts on behalf of the caller: one exchange for its token', async () => {
  const alice = wb.issueAccessToken({ subject: 'user:alice' });
  for (let i = 0; i < 3; i++) {
    const res = await fetch(`${url}/me/data-products`, {
      headers: { [CALLER_TOKEN_HEADER]: alice },
    });
    expect(res.status).toBe(200);
  }

  expect(wb.stats.exchanges.byAccessToken).toEqual({ [`wbat-…${alice.slice(-4)}`]: 1 });
});

test('GET /me/data-products without a caller token is a 401, before any exchange', async () => {
  const res = await fetch(`${url}/me/data-products`);

  expect(res.status).toBe(401);
  expect(await res.json()).toMatchObject({ error: { code: 'invalid_access_token' } });
  expect(wb.stats.exchanges.total).toBe(0);
});

test('a revoked caller token is a 401 and Witboost failing a 502, neither showing a secret', async () => {
  const alice = wb.issueAccessToken({ subject: 'user:alice' });
  wb.revoke(alice);
  const revoked = await fetch(`${url}/me/data-products`, {
    headers: { [CALLER_TOKEN_HEADER]: alice },
  });
  wb.faults.failNextExchanges(10, { status: 503 });
  const failing = await fetch(`${url}/data-products`);

  expect(revoked.status).toBe(401);
  expect(failing.status).toBe(502);
  const bodies = [await revoked.text(), await failing.text()];
  expect(JSON.parse(bodies[0] ?? '')).toMatchObject({ error: { code: 'access_token_rejected' } });
  expect(JSON.parse(bodies[1] ?? '')).toMatchObject({ error: { code: 'server_error' } });
  for (const body of bodies) expect(body).not.toMatch(/wbat-\w|eyJ/);
});
