import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { claims, errorMessage, exchange, getCatalog, postExchange } from './helpers.js';

let wb: WitboostMock;
let accessToken: string;
beforeEach(async () => {
  wb = await startWitboostMock({ port: 0 });
  accessToken = wb.issueAccessToken();
});
afterEach(() => wb.close());

const ok = () => postExchange(wb, { access_token: accessToken });

describe('failNextExchanges', () => {
  test('fails exactly the next N exchanges, then recovers', async () => {
    wb.faults.failNextExchanges(2, { status: 503 });
    const first = await ok();
    expect(first.status).toBe(503);
    expect(await errorMessage(first, accessToken)).toBe('Injected fault: HTTP 503');
    expect((await ok()).status).toBe(503);
    expect((await ok()).status).toBe(200);
  });

  test('sends Retry-After when asked', async () => {
    wb.faults.failNextExchanges(1, { status: 429, retryAfterSeconds: 7 });
    const res = await ok();
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
  });

  test('custom bodies and headers: a JSON object, a string, an HTTP-date Retry-After', async () => {
    const date = 'Wed, 21 Oct 2099 07:28:00 GMT';
    wb.faults.failNextExchanges(1, { status: 403, body: { message: 'forbidden' } });
    wb.faults.failNextExchanges(1, {
      status: 502,
      body: '<html>Bad gateway</html>',
      headers: { 'retry-after': date },
    });
    const json = await ok();
    expect([json.status, await json.json()]).toEqual([403, { message: 'forbidden' }]);
    const html = await ok();
    expect(html.status).toBe(502);
    expect(html.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(html.headers.get('retry-after')).toBe(date);
    expect(await html.text()).toBe('<html>Bad gateway</html>');
  });

  test('a 200 with a custom body emulates a broken response', async () => {
    wb.faults.failNextExchanges(1, { status: 200, body: { jwt: 'not-a-jwt' } });
    expect(await (await ok()).json()).toEqual({ jwt: 'not-a-jwt' });
  });

  test('validates its arguments', () => {
    expect(() => wb.faults.failNextExchanges(-1, { status: 500 })).toThrow(
      '[@wb/witboost-mock] failNextExchanges: count must be an integer >= 0',
    );
    expect(() => wb.faults.failNextExchanges(1, { status: 99 })).toThrow(/status/);
    expect(() => wb.faults.failNextExchanges(1, { status: 429, retryAfterSeconds: -1 })).toThrow(
      /retryAfterSeconds/,
    );
  });
});

describe('dropNextExchanges', () => {
  test('destroys the connection without a response, then recovers', async () => {
    wb.faults.dropNextExchanges(1);
    await expect(ok()).rejects.toThrow(TypeError);
    expect((await ok()).status).toBe(200);
    expect(wb.stats.exchanges).toMatchObject({ total: 2, ok: 1, failed: 1 });
    expect(wb.lastRequests.map((r) => r.status)).toEqual([null, 200]);
  });

  test('queues in order with failures', async () => {
    wb.faults.failNextExchanges(1, { status: 500 });
    wb.faults.dropNextExchanges(1);
    expect((await ok()).status).toBe(500);
    await expect(ok()).rejects.toThrow();
    expect((await ok()).status).toBe(200);
  });
});

describe('setExchangeLatency', () => {
  test('delays exchange responses, and 0 turns it off', async () => {
    wb.faults.setExchangeLatency(300);
    let started = performance.now();
    expect((await ok()).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    wb.faults.setExchangeLatency(0);
    started = performance.now();
    await ok();
    expect(performance.now() - started).toBeLessThan(250);
  });

  test('does not delay protected endpoints', async () => {
    const jwt = await exchange(wb, accessToken);
    wb.faults.setExchangeLatency(1_000);
    const started = performance.now();
    expect((await getCatalog(wb, `Bearer ${jwt}`)).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(500);
  });

  test('close() does not wait for a delayed exchange', async () => {
    wb.faults.setExchangeLatency(60_000);
    const pending = ok().catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await wb.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await pending).toBeInstanceOf(TypeError);
  });
});

describe('setClockSkew', () => {
  test('shifts iat and exp, keeps the lifetime, and the mock still accepts the JWT', async () => {
    wb.faults.setClockSkew(3_600);
    const jwt = await exchange(wb, accessToken, { duration_seconds: 120 });
    const { iat = 0, exp = 0 } = claims(jwt);
    expect(iat - Date.now() / 1000).toBeGreaterThan(3_590);
    expect(exp - iat).toBe(120);
    expect((await getCatalog(wb, `Bearer ${jwt}`)).status).toBe(200);
  });

  test('a negative skew puts iat in the past, still accepted', async () => {
    wb.faults.setClockSkew(-3_600);
    const jwt = await exchange(wb, accessToken, { duration_seconds: 120 });
    expect((claims(jwt).exp ?? 0) < Date.now() / 1000).toBe(true);
    expect((await getCatalog(wb, `Bearer ${jwt}`)).status).toBe(200);
  });
});

describe('rejectJwt', () => {
  test('protected endpoints answer 401 for that JWT only', async () => {
    const rejected = await exchange(wb, accessToken);
    const other = await exchange(wb, accessToken);
    wb.faults.rejectJwt(rejected);
    const res = await getCatalog(wb, `Bearer ${rejected}`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await errorMessage(res, rejected)).toBe('JWT has been invalidated');
    expect((await getCatalog(wb, `Bearer ${other}`)).status).toBe(200);
  });
});

test('reset() clears every fault', async () => {
  const jwt = await exchange(wb, accessToken);
  wb.faults.failNextExchanges(3, { status: 500 });
  wb.faults.dropNextExchanges(1);
  wb.faults.setExchangeLatency(5_000);
  wb.faults.setClockSkew(10_000);
  wb.faults.rejectJwt(jwt);
  wb.faults.reset();
  const started = performance.now();
  const fresh = await exchange(wb, accessToken);
  expect(performance.now() - started).toBeLessThan(1_000);
  expect(Math.abs((claims(fresh).iat ?? 0) - Date.now() / 1000)).toBeLessThan(5);
  expect((await getCatalog(wb, `Bearer ${jwt}`)).status).toBe(200);
});
