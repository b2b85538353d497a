import { inspect } from 'node:util';
import { exchangeAccessToken, isWitboostAuthError } from '@wb/auth-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ACCESS_TOKEN,
  exchangeStub,
  expectNoSecret,
  hangingFetch,
  jsonResponse,
  jwtFor,
  makeJwt,
} from '../test/helpers.js';
import { systemClock } from './engine/clock.js';
import { exchangeOnce } from './exchange.js';

const baseUrl = 'https://witboost.example.com';

afterEach(() => {
  vi.useRealTimers();
});

function exchangeWith(response: () => Response | Promise<Response>, extra = {}) {
  const stub = exchangeStub(() => response());
  return exchangeAccessToken({ baseUrl, accessToken: ACCESS_TOKEN, fetch: stub.fetch, ...extra });
}

describe('exchangeAccessToken', () => {
  it('POSTs the documented JSON body and returns the JWT with its lifetime and claims', async () => {
    const jwt = jwtFor(600, { scope: 'service:computational-governance', iss: 'witboost' });
    const stub = exchangeStub(() => jsonResponse(200, { jwt }));
    const before = Date.now();
    const result = await exchangeAccessToken({
      baseUrl: 'https://witboost.example.com/prefix/',
      accessToken: ACCESS_TOKEN,
      durationSeconds: 600,
      scope: 'service:computational-governance',
      fetch: stub.fetch,
    });
    expect(stub.calls).toEqual([
      {
        url: 'https://witboost.example.com/prefix/api/auth/access-tokens/jwt',
        body: {
          access_token: ACCESS_TOKEN,
          duration_seconds: 600,
          scope: 'service:computational-governance',
        },
      },
    ]);
    const init = stub.mock.mock.calls[0]?.[1];
    expect(init?.method).toBe('POST');
    expect(new Headers(init?.headers).get('content-type')).toBe('application/json');
    expect(init?.redirect).toBe('manual');
    expect(result.jwt).toBe(jwt);
    expect(result.lifetimeSeconds).toBe(600);
    expect(result.sentAt).toBeGreaterThanOrEqual(before);
    expect(result.expiresAt).toBe(result.sentAt + 600_000);
    expect(result.claims).toMatchObject({
      sub: 'user:svc',
      iss: 'witboost',
      scope: 'service:computational-governance',
    });
  });

  it('sends the canonical scope list: deduplicated and sorted', async () => {
    const stub = exchangeStub();
    const result = await exchangeAccessToken({
      baseUrl,
      accessToken: ACCESS_TOKEN,
      scope: 'b:y a:x b:y',
      fetch: stub.fetch,
    });
    expect(stub.calls[0]?.body.scope).toBe('a:x b:y');
    expect(result.scope).toBe('a:x b:y');
  });

  it('omits scope when none is asked and defaults duration_seconds to 300', async () => {
    const stub = exchangeStub();
    await exchangeAccessToken({ baseUrl, accessToken: ACCESS_TOKEN, fetch: stub.fetch });
    expect(stub.calls[0]?.body).toEqual({ access_token: ACCESS_TOKEN, duration_seconds: 300 });
  });

  it('uses the requested duration when the JWT has no iat', async () => {
    const jwt = makeJwt({ exp: Math.floor(Date.now() / 1000) + 60 });
    const result = await exchangeWith(() => jsonResponse(200, { jwt }), { durationSeconds: 42 });
    expect(result.lifetimeSeconds).toBe(42);
  });

  describe('lifetime sanity', () => {
    const nowSeconds = () => Math.floor(Date.now() / 1000);
    it.each([
      ['exp in milliseconds', () => ({ iat: nowSeconds(), exp: Date.now() + 300_000 })],
      ['exp absurdly far away', () => ({ iat: nowSeconds(), exp: 1e300 })],
      ['a longer life than requested', () => ({ iat: nowSeconds(), exp: nowSeconds() + 3600 })],
    ])('never exceeds the requested duration: %s', async (_name, claims) => {
      const jwt = makeJwt(claims());
      const result = await exchangeWith(() => jsonResponse(200, { jwt }), {
        durationSeconds: 300,
      });
      expect(result.lifetimeSeconds).toBe(300);
      expect(result.expiresAt - result.sentAt).toBe(300_000);
    });

    it('keeps a shorter exp − iat', async () => {
      const jwt = jwtFor(60);
      const result = await exchangeWith(() => jsonResponse(200, { jwt }), { durationSeconds: 300 });
      expect(result.lifetimeSeconds).toBe(60);
    });

    it('without iat, measures exp against the Date header (server clock 1 h ahead)', async () => {
      const serverNow = Date.now() + 3_600_000;
      const jwt = makeJwt({ exp: Math.floor(serverNow / 1000) + 100 });
      const date = new Date(Math.floor(serverNow / 1000) * 1000).toUTCString();
      const result = await exchangeWith(() => jsonResponse(200, { jwt }, { date }), {
        durationSeconds: 300,
      });
      expect(result.lifetimeSeconds).toBe(100);
    });

    it.each([
      ['in 1970', 1],
      ['one second before the Date header', Math.floor(Date.now() / 1000) - 1],
    ])(
      'without iat, trusts the requested duration when exp is before the Date header (%s)',
      async (_name, exp) => {
        const jwt = makeJwt({ exp });
        const result = await exchangeWith(
          () => jsonResponse(200, { jwt }, { date: new Date().toUTCString() }),
          { durationSeconds: 120 },
        );
        // The signer's and the HTTP front's clocks disagree: a token just issued is not dead.
        expect(result.lifetimeSeconds).toBe(120);
      },
    );

    it('rejects a negative exp', async () => {
      const jwt = makeJwt({ exp: -5 });
      const error = await exchangeWith(() => jsonResponse(200, { jwt })).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'invalid_exchange_response' });
      expectNoSecret(error, [jwt, ACCESS_TOKEN]);
    });
  });

  it('counts the lifetime from local send time, whatever the server clock says', async () => {
    const jwt = jwtFor(300, {}, -3 * 3600); // server three hours behind
    const result = await exchangeWith(() => jsonResponse(200, { jwt }));
    expect(result.lifetimeSeconds).toBe(300);
    expect(result.expiresAt - result.sentAt).toBe(300_000);
  });

  it('redacts the JWT in JSON.stringify and util.inspect of the result', async () => {
    const jwt = jwtFor(300);
    const result = await exchangeWith(() => jsonResponse(200, { jwt }));
    expect(JSON.stringify(result)).not.toContain(jwt);
    expect(inspect(result, { depth: 5 })).not.toContain(jwt);
    expect(JSON.stringify({ ...result })).not.toContain(jwt);
    expect(JSON.parse(JSON.stringify(result))).toMatchObject({
      jwt: '[redacted jwt]',
      lifetimeSeconds: 300,
    });
  });

  const statusCases: Array<[number, Record<string, string>, unknown, string, object]> = [
    [
      400,
      {},
      { error: { message: 'duration_seconds exceeds token lifetime' } },
      'exchange_bad_request',
      { status: 400 },
    ],
    [
      401,
      {},
      { message: `token ${ACCESS_TOKEN} is revoked` },
      'access_token_rejected',
      { status: 401 },
    ],
    [403, {}, 'forbidden', 'access_token_rejected', { status: 403 }],
    [429, { 'retry-after': '7' }, {}, 'rate_limited', { status: 429, retryAfterMs: 7000 }],
    [429, {}, {}, 'rate_limited', { status: 429, retryAfterMs: undefined }],
    [500, {}, { error: { message: 'boom' } }, 'server_error', { status: 500 }],
    [503, { 'retry-after': '2' }, '<html>', 'server_error', { status: 503, retryAfterMs: 2000 }],
    [302, { location: 'https://elsewhere.example.com' }, '', 'server_error', { status: 302 }],
    [204, {}, '', 'server_error', { status: 204 }],
  ];

  it.each(statusCases)('HTTP %i → its code', async (status, headers, body, code, facts) => {
    const error = await exchangeWith(() =>
      status === 204 ? new Response(null, { status }) : jsonResponse(status, body, headers),
    ).catch((e: unknown) => e);
    expect(isWitboostAuthError(error)).toBe(true);
    expect(error).toMatchObject({ code, ...facts });
    expectNoSecret(error, [ACCESS_TOKEN]);
  });

  it('quotes the server message, redacted and truncated', async () => {
    const jwt = jwtFor(60);
    const long = `bad things with ${jwt} ${ACCESS_TOKEN} ${'x'.repeat(500)}`;
    const error = await exchangeWith(() => jsonResponse(400, { error: { message: long } })).catch(
      (e: unknown) => e as Error,
    );
    expect((error as Error).message).toContain('bad things with');
    expect((error as Error).message.length).toBeLessThan(400);
    expectNoSecret(error, [ACCESS_TOKEN, jwt]);
  });

  it('measures an HTTP-date Retry-After against the Date header (server clock 1 h ahead)', async () => {
    const serverNow = Math.floor((Date.now() + 3_600_000) / 1000) * 1000;
    const headers = {
      date: new Date(serverNow).toUTCString(),
      'retry-after': new Date(serverNow + 5_000).toUTCString(),
    };
    const error = await exchangeWith(() => jsonResponse(503, {}, headers)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'server_error', retryAfterMs: 5_000 });
  });

  it.each([
    ['delta-seconds of a year', { 'retry-after': '31536000' }],
    ['an HTTP date a day away', { 'retry-after': new Date(Date.now() + 86_400_000).toUTCString() }],
  ])('caps Retry-After at 5 minutes: %s', async (_name, headers) => {
    const error = await exchangeWith(() => jsonResponse(429, {}, headers)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 300_000 });
    expect((error as Error).message).toContain('retry after 300s');
  });

  it('parses Retry-After given as an HTTP date', async () => {
    const date = new Date(Date.now() + 60_000).toUTCString();
    const error = await exchangeWith(() => jsonResponse(429, {}, { 'retry-after': date })).catch(
      (e: unknown) => e,
    );
    expect((error as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(55_000);
    expect((error as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('measures an HTTP-date Retry-After without a Date header on the engine clock', async () => {
    // The engine's clock, not Date.now(): in virtual time the two differ (here by 30 s).
    const clock = { ...systemClock, now: () => Date.now() + 30_000 };
    const date = new Date(Date.now() + 60_000).toUTCString();
    const stub = exchangeStub(() => jsonResponse(429, {}, { 'retry-after': date }));
    const error = await exchangeOnce({
      endpoint: `${baseUrl}/api/auth/access-tokens/jwt`,
      accessToken: ACCESS_TOKEN,
      durationSeconds: 300,
      scope: undefined,
      fetch: stub.fetch,
      signal: undefined,
      timeoutMs: 5_000,
      principal: 'service',
      clock,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'rate_limited' });
    expect((error as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(25_000);
    expect((error as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  const now = () => Math.floor(Date.now() / 1000);
  const malformed: Array<[string, () => Response, RegExp]> = [
    ['non-JSON body', () => new Response('<html>ok</html>', { status: 200 }), /not JSON/],
    ['JSON null', () => jsonResponse(200, 'null'), /no string jwt/],
    ['no jwt field', () => jsonResponse(200, { token: 'x' }), /no string jwt/],
    ['jwt not a string', () => jsonResponse(200, { jwt: 42 }), /no string jwt/],
    [
      'two segments',
      () => jsonResponse(200, { jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9' }),
      /three/,
    ],
    ['four segments', () => jsonResponse(200, { jwt: `${jwtFor(60)}.extra` }), /three/],
    [
      'empty signature',
      () => jsonResponse(200, { jwt: `${jwtFor(60).split('.').slice(0, 2).join('.')}.` }),
      /empty or non-base64url/,
    ],
    [
      'non-base64url chars',
      () => jsonResponse(200, { jwt: 'eyJh+.eyJl/.sig' }),
      /empty or non-base64url/,
    ],
    [
      'undecodable payload',
      () => jsonResponse(200, { jwt: 'eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln' }),
      /does not decode/,
    ],
    [
      'payload is an array',
      () =>
        jsonResponse(200, {
          jwt: `eyJhbGciOiJIUzI1NiJ9.${Buffer.from('[1]').toString('base64url')}.c2ln`,
        }),
      /does not decode/,
    ],
    ['missing exp', () => jsonResponse(200, { jwt: makeJwt({ iat: now() }) }), /no exp claim/],
    [
      'non-numeric exp',
      () => jsonResponse(200, { jwt: makeJwt({ iat: now(), exp: 'tomorrow' }) }),
      /exp claim .* not a number/,
    ],
    [
      'non-numeric iat',
      () => jsonResponse(200, { jwt: makeJwt({ iat: 'now', exp: now() + 60 }) }),
      /iat claim .* not a number/,
    ],
    [
      'exp equal to iat',
      () => jsonResponse(200, { jwt: makeJwt({ iat: now(), exp: now() }) }),
      /not after its iat/,
    ],
    [
      'exp before iat',
      () => jsonResponse(200, { jwt: makeJwt({ iat: now(), exp: now() - 10 }) }),
      /not after its iat/,
    ],
  ];

  it.each(malformed)(
    '200 with %s → invalid_exchange_response',
    async (_name, response, message) => {
      let body = '';
      const error = await exchangeWith(async () => {
        const res = response();
        body = await res.clone().text();
        return res;
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'invalid_exchange_response' });
      expect((error as Error).message).toMatch(message);
      const jwt = (JSON.parse(body.startsWith('{') ? body : '{}') as { jwt?: unknown }).jwt;
      expectNoSecret(error, typeof jwt === 'string' ? [ACCESS_TOKEN, jwt] : [ACCESS_TOKEN]);
    },
  );

  it('maps a fetch rejection to network_error without leaking what the fetch said', async () => {
    const error = await exchangeWith(() => {
      throw new TypeError('fetch failed', {
        cause: new Error(`connect ECONNREFUSED (${ACCESS_TOKEN})`),
      });
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'network_error' });
    expect((error as Error).message).toContain('ECONNREFUSED');
    expectNoSecret(error, [ACCESS_TOKEN]);
  });

  it('times out a hanging exchange with code timeout', async () => {
    vi.useFakeTimers();
    const promise = exchangeAccessToken({
      baseUrl,
      accessToken: ACCESS_TOKEN,
      fetch: hangingFetch(),
      timeoutMs: 2000,
    }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1999);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await promise).toMatchObject({ code: 'timeout' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with aborted when the caller aborts', async () => {
    const controller = new AbortController();
    const promise = exchangeAccessToken({
      baseUrl,
      accessToken: ACCESS_TOKEN,
      fetch: hangingFetch(),
      signal: controller.signal,
    }).catch((e: unknown) => e);
    controller.abort();
    expect(await promise).toMatchObject({ code: 'aborted' });
    const already = await exchangeAccessToken({
      baseUrl,
      accessToken: ACCESS_TOKEN,
      fetch: hangingFetch(),
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(already).toMatchObject({ code: 'aborted' });
  });

  it.each([
    ['blank token', { accessToken: ' ' }, 'missing_access_token'],
    ['relative baseUrl', { baseUrl: '/x' }, 'invalid_options'],
    ['http non-loopback', { baseUrl: 'http://witboost.example.com' }, 'invalid_options'],
    ['bad duration', { durationSeconds: 0 }, 'invalid_options'],
    ['bad scope', { scope: 'a  b' }, 'invalid_options'],
    ['bad timeout', { timeoutMs: -1 }, 'invalid_options'],
  ])('validates its options: %s', async (_name, extra, code) => {
    const stub = exchangeStub();
    const error = await exchangeAccessToken({
      baseUrl,
      accessToken: ACCESS_TOKEN,
      fetch: stub.fetch,
      ...extra,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code });
    expect(stub.calls).toHaveLength(0);
    expectNoSecret(error, [ACCESS_TOKEN]);
  });
});

describe('a server that echoes the access token', () => {
  it('never puts it in the error, whatever its format', async () => {
    const opaque = 'pat_9fK2mQx7Lw3ZrT8vYp1Nc4Hs6Dg0Jb5A';
    const stub = exchangeStub(() =>
      jsonResponse(400, {
        error: { message: `duration_seconds exceeds remaining lifetime of token ${opaque}` },
      }),
    );
    const error = await exchangeAccessToken({
      baseUrl,
      accessToken: opaque,
      fetch: stub.fetch,
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'exchange_bad_request' });
    expect(String(error)).toContain('exceeds remaining lifetime of token');
    expectNoSecret(error, [opaque]);
  });
});
