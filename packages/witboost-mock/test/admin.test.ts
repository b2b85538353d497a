import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { claims, errorMessage, exchange, getCatalog, postExchange } from './helpers.js';

let wb: WitboostMock;
beforeEach(async () => {
  wb = await startWitboostMock({ port: 0 });
});
afterEach(() => wb.close());

async function admin(path: string, body?: unknown): Promise<Response> {
  return fetch(`${wb.url}/__admin/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

test('POST /__admin/access-tokens issues a token, with subject and expiry', async () => {
  const res = await admin('access-tokens', { subject: 'sa:admin', expiresInSeconds: 120 });
  expect(res.status).toBe(201);
  const { accessToken } = (await res.json()) as { accessToken: string };
  expect(accessToken).toMatch(/^wbat-/);
  expect(claims(await exchange(wb, accessToken, { duration_seconds: 100 })).sub).toBe('sa:admin');
  expect(
    (await postExchange(wb, { access_token: accessToken, duration_seconds: 200 })).status,
  ).toBe(400);
});

test('POST /__admin/access-tokens with an empty body uses the defaults', async () => {
  const res = await fetch(`${wb.url}/__admin/access-tokens`, { method: 'POST' });
  expect(res.status).toBe(201);
});

test('POST /__admin/access-tokens validates', async () => {
  const res = await admin('access-tokens', { expiresInSeconds: -1 });
  expect(res.status).toBe(400);
  expect(await errorMessage(res)).toBe('issueAccessToken: expiresInSeconds must be a number > 0');
});

test('POST /__admin/revoke revokes', async () => {
  const accessToken = wb.issueAccessToken();
  const res = await admin('revoke', { accessToken });
  expect(await res.json()).toEqual({ revoked: true });
  expect((await postExchange(wb, { access_token: accessToken })).status).toBe(401);
  expect((await admin('revoke', {})).status).toBe(400);
});

test('GET /__admin/stats and /__admin/requests', async () => {
  await exchange(wb, wb.issueAccessToken());
  const stats = await (await admin('stats')).json();
  expect(stats).toEqual(wb.stats);
  const requests = await (await admin('requests')).json();
  expect(requests).toEqual(wb.lastRequests);
  expect(wb.lastRequests.some((r) => r.path.startsWith('/__admin/'))).toBe(false);
});

test('POST /__admin/faults drives every knob', async () => {
  const accessToken = wb.issueAccessToken();
  const jwt = await exchange(wb, accessToken);
  const res = await admin('faults', {
    failNextExchanges: { count: 1, status: 429, retryAfterSeconds: 3 },
    dropNextExchanges: 1,
    exchangeLatencyMs: 10,
    clockSkewSeconds: 600,
    rejectJwt: jwt,
  });
  expect(await res.json()).toEqual({
    pendingExchangeFaults: 2,
    latencyMs: 10,
    clockSkewSeconds: 600,
  });

  const limited = await postExchange(wb, { access_token: accessToken });
  expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '3']);
  await expect(postExchange(wb, { access_token: accessToken })).rejects.toThrow();
  const skewed = await exchange(wb, accessToken);
  expect((claims(skewed).iat ?? 0) - Date.now() / 1000).toBeGreaterThan(590);
  expect((await getCatalog(wb, `Bearer ${jwt}`)).status).toBe(401);

  const reset = await admin('faults', { reset: true });
  expect(await reset.json()).toEqual({
    pendingExchangeFaults: 0,
    latencyMs: 0,
    clockSkewSeconds: 0,
  });
  expect((await getCatalog(wb, `Bearer ${jwt}`)).status).toBe(200);
});

test('POST /__admin/faults rejects bad knobs with 400', async () => {
  for (const body of [
    { failNextExchanges: { count: 1, status: 42 } },
    { failNextExchanges: 'yes' },
    { dropNextExchanges: -1 },
    { exchangeLatencyMs: 'slow' },
    { rejectJwt: 5 },
  ]) {
    expect((await admin('faults', body)).status).toBe(400);
  }
  expect((await admin('faults', '[]')).status).toBe(400);
});

test('POST /__admin/reset clears faults and stats', async () => {
  await exchange(wb, wb.issueAccessToken());
  wb.faults.failNextExchanges(5, { status: 500 });
  expect((await admin('reset', {})).status).toBe(200);
  expect(wb.stats.exchanges.total).toBe(0);
  expect((await postExchange(wb, { access_token: wb.issueAccessToken() })).status).toBe(200);
});

test('unknown admin paths are 404, wrong methods 405', async () => {
  expect((await admin('nope')).status).toBe(404);
  const res = await fetch(`${wb.url}/__admin/stats`, { method: 'POST' });
  expect(res.status).toBe(405);
  expect(res.headers.get('allow')).toBe('GET');
});
