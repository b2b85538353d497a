import { CG_SCOPE, EXCHANGE_PATH, startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { claims, errorMessage, exchange, postExchange } from './helpers.js';

let wb: WitboostMock;
beforeEach(async () => {
  wb = await startWitboostMock({ port: 0 });
});
afterEach(async () => {
  vi.useRealTimers();
  await wb.close();
});

describe('access tokens', () => {
  test('look like Witboost tokens: wbat- and 35 base64url characters', () => {
    expect(wb.issueAccessToken()).toMatch(/^wbat-[A-Za-z0-9_-]{35}$/);
  });

  test('get a fresh default subject per call', async () => {
    const a = claims(await exchange(wb, wb.issueAccessToken())).sub;
    const b = claims(await exchange(wb, wb.issueAccessToken())).sub;
    expect(a).toMatch(/^service-account:demo-\d+$/);
    expect(b).not.toBe(a);
  });

  test('one active token per subject: a new one revokes the previous', async () => {
    const first = wb.issueAccessToken({ subject: 'user:alice' });
    const second = wb.issueAccessToken({ subject: 'user:alice' });
    expect((await postExchange(wb, { access_token: first })).status).toBe(401);
    expect(claims(await exchange(wb, second)).sub).toBe('user:alice');
  });

  test('issueAccessToken validates its options', () => {
    expect(() => wb.issueAccessToken({ expiresInSeconds: 0 })).toThrow(
      '[@wb/witboost-mock] issueAccessToken: expiresInSeconds must be a number > 0',
    );
    expect(() => wb.issueAccessToken({ subject: '' })).toThrow(/subject/);
  });
});

describe('successful exchange', () => {
  test('reads only the body’s own fields: a polluted Object.prototype.scope is no scope', async () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.scope = CG_SCOPE;
    let jwt: string;
    try {
      jwt = await exchange(wb, wb.issueAccessToken());
    } finally {
      delete proto.scope;
    }
    expect(claims(jwt).scope).toBeUndefined();
    expect(wb.stats.exchanges.byScope).not.toHaveProperty(CG_SCOPE);
  });

  test('returns only { jwt }: an ES256 JWT with sub, iat, exp, iss, jti and no scope', async () => {
    const res = await postExchange(wb, { access_token: wb.issueAccessToken({ subject: 'sa:x' }) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { jwt: string };
    expect(Object.keys(body)).toEqual(['jwt']);
    const payload = claims(body.jwt);
    expect(payload).toMatchObject({ sub: 'sa:x', iss: wb.url });
    expect(payload.scope).toBeUndefined();
    expect(typeof payload.jti).toBe('string');
    expect(Math.abs((payload.iat ?? 0) - Date.now() / 1000)).toBeLessThan(5);
  });

  test('duration defaults to 300 seconds', async () => {
    const { iat = 0, exp = 0 } = claims(await exchange(wb, wb.issueAccessToken()));
    expect(exp - iat).toBe(300);
  });

  test('the default duration is configurable on the server', async () => {
    const custom = await startWitboostMock({ port: 0, defaultDurationSeconds: 42 });
    try {
      const { iat = 0, exp = 0 } = claims(await exchange(custom, custom.issueAccessToken()));
      expect(exp - iat).toBe(42);
    } finally {
      await custom.close();
    }
  });

  test('duration_seconds sets exp - iat', async () => {
    const jwt = await exchange(wb, wb.issueAccessToken(), { duration_seconds: 3600 });
    const { iat = 0, exp = 0 } = claims(jwt);
    expect(exp - iat).toBe(3600);
  });

  test('scope is passed into the JWT, normalised', async () => {
    const jwt = await exchange(wb, wb.issueAccessToken(), { scope: `  ${CG_SCOPE}   other ` });
    expect(claims(jwt).scope).toBe(`${CG_SCOPE} other`);
  });

  test('an empty scope means no scope', async () => {
    expect(claims(await exchange(wb, wb.issueAccessToken(), { scope: '' })).scope).toBeUndefined();
  });

  test('unknown body fields are ignored', async () => {
    const res = await postExchange(wb, { access_token: wb.issueAccessToken(), extra: true });
    expect(res.status).toBe(200);
  });

  test('a custom issuer goes into iss', async () => {
    const custom = await startWitboostMock({ port: 0, issuer: 'https://witboost.example.com' });
    try {
      const jwt = await exchange(custom, custom.issueAccessToken());
      expect(claims(jwt).iss).toBe('https://witboost.example.com');
    } finally {
      await custom.close();
    }
  });
});

describe('validation: 400 with { error: { message } } and never the token', () => {
  const token = () => wb.issueAccessToken();
  test.each([
    ['access_token missing', () => ({}), 'access_token is required'],
    ['access_token not a string', () => ({ access_token: 42 }), 'access_token must be'],
    ['access_token empty', () => ({ access_token: '' }), 'access_token must be'],
    ['duration 0', () => ({ access_token: token(), duration_seconds: 0 }), 'integer >= 1'],
    ['duration negative', () => ({ access_token: token(), duration_seconds: -5 }), 'integer >= 1'],
    ['duration fractional', () => ({ access_token: token(), duration_seconds: 1.5 }), 'integer'],
    ['duration a string', () => ({ access_token: token(), duration_seconds: '60' }), 'integer'],
    ['duration null', () => ({ access_token: token(), duration_seconds: null }), 'integer'],
    ['scope an array', () => ({ access_token: token(), scope: [CG_SCOPE] }), 'scope must be'],
    ['scope a number', () => ({ access_token: token(), scope: 1 }), 'scope must be'],
  ])('%s', async (_name, body, message) => {
    const payload: Record<string, unknown> = body();
    const res = await postExchange(wb, payload);
    expect(res.status).toBe(400);
    const secret = typeof payload.access_token === 'string' ? payload.access_token : 'wbat-';
    expect(await errorMessage(res, secret)).toContain(message);
  });

  test.each([
    ['malformed JSON', '{"access_token": '],
    ['a JSON array', '[]'],
    ['a JSON string', '"wbat-abc"'],
    ['JSON null', 'null'],
    ['an empty body', ''],
  ])('%s', async (_name, raw) => {
    const res = await postExchange(wb, raw);
    expect(res.status).toBe(400);
    await errorMessage(res);
  });

  test('a non-JSON content type is refused with 415', async () => {
    const accessToken = token();
    const res = await postExchange(
      wb,
      { access_token: accessToken },
      { 'content-type': 'text/plain' },
    );
    expect(res.status).toBe(415);
    expect(await errorMessage(res, accessToken)).toBe('Content-Type must be application/json');
  });

  test('a body over 64 KiB is refused with 413', async () => {
    const res = await postExchange(wb, { access_token: token(), padding: 'x'.repeat(70_000) });
    expect(res.status).toBe(413);
    await errorMessage(res);
  });

  test('other methods get 405 with Allow', async () => {
    const res = await fetch(`${wb.url}${EXCHANGE_PATH}`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });
});

describe('401 for unusable access tokens', () => {
  test('unknown', async () => {
    const res = await postExchange(wb, { access_token: 'wbat-unknownunknownunknownunknown1234' });
    expect(res.status).toBe(401);
    expect(await errorMessage(res, 'wbat-unknownunknown')).toBe('Access token is unknown');
  });

  test('revoked; JWTs issued before keep working', async () => {
    const accessToken = wb.issueAccessToken();
    const jwt = await exchange(wb, accessToken);
    expect(wb.revoke(accessToken)).toBe(true);
    expect(wb.revoke(accessToken)).toBe(false);
    const res = await postExchange(wb, { access_token: accessToken });
    expect(res.status).toBe(401);
    expect(await errorMessage(res, accessToken)).toBe('Access token is revoked');
    const catalog = await fetch(`${wb.url}/api/catalog/entities`, {
      headers: { authorization: `Bearer ${jwt}` },
    });
    expect(catalog.status).toBe(200);
  });

  test('expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const accessToken = wb.issueAccessToken({ expiresInSeconds: 60 });
    expect(
      (await postExchange(wb, { access_token: accessToken, duration_seconds: 60 })).status,
    ).toBe(200);
    vi.setSystemTime(Date.now() + 60_000);
    const res = await postExchange(wb, { access_token: accessToken, duration_seconds: 1 });
    expect(res.status).toBe(401);
    expect(await errorMessage(res, accessToken)).toBe('Access token is expired');
  });
});

describe("duration_seconds must not exceed the access token's remaining lifetime", () => {
  test('equal to the remaining lifetime is fine, one second more is 400', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const accessToken = wb.issueAccessToken({ expiresInSeconds: 600 });
    expect(
      (await postExchange(wb, { access_token: accessToken, duration_seconds: 600 })).status,
    ).toBe(200);
    const res = await postExchange(wb, { access_token: accessToken, duration_seconds: 601 });
    expect(res.status).toBe(400);
    expect(await errorMessage(res, accessToken)).toMatch(/remaining lifetime/);
  });

  test('the limit shrinks as time passes, and applies to the default duration too', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const accessToken = wb.issueAccessToken({ expiresInSeconds: 400 });
    expect((await postExchange(wb, { access_token: accessToken })).status).toBe(200);
    vi.setSystemTime(Date.now() + 200_000);
    expect((await postExchange(wb, { access_token: accessToken })).status).toBe(400);
    expect(
      (await postExchange(wb, { access_token: accessToken, duration_seconds: 200 })).status,
    ).toBe(200);
  });

  test('tokens without expiry have no limit', async () => {
    const jwt = await exchange(wb, wb.issueAccessToken(), { duration_seconds: 10 * 365 * 86400 });
    const { iat = 0, exp = 0 } = claims(jwt);
    expect(exp - iat).toBe(10 * 365 * 86400);
  });
});
