import { createWitboostAuth, isWitboostAuthError, type WitboostAuthOptions } from '@wb/auth-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ACCESS_TOKEN, expectNoSecret } from '../test/helpers.js';

const base = { baseUrl: 'https://witboost.example.com', accessToken: ACCESS_TOKEN };

function creationError(options: unknown): unknown {
  try {
    const auth = createWitboostAuth(options as WitboostAuthOptions);
    void auth.close();
  } catch (error) {
    return error;
  }
  throw new Error('createWitboostAuth did not throw');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('createWitboostAuth option validation', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['options not an object', null, /options object/],
    ['baseUrl missing', { accessToken: ACCESS_TOKEN }, /baseUrl is required/],
    ['baseUrl relative', { ...base, baseUrl: '/witboost' }, /absolute http\(s\) URL/],
    ['baseUrl not a URL at all', { ...base, baseUrl: 'not a url' }, /absolute/],
    ['baseUrl is a number', { ...base, baseUrl: 42 }, /URL string or URL/],
    ['baseUrl ftp', { ...base, baseUrl: 'ftp://witboost.example.com' }, /https:/],
    [
      'baseUrl http non-loopback',
      { ...base, baseUrl: 'http://witboost.example.com' },
      /allowInsecureHttp/,
    ],
    [
      'baseUrl with query',
      { ...base, baseUrl: 'https://witboost.example.com/?a=1' },
      /query string/,
    ],
    ['baseUrl with hash', { ...base, baseUrl: 'https://witboost.example.com/#x' }, /fragment/],
    [
      'baseUrl with credentials',
      { ...base, baseUrl: `https://u:${ACCESS_TOKEN}@witboost.example.com` },
      /credentials/,
    ],
    ['baseUrl that is the token', { ...base, baseUrl: ACCESS_TOKEN }, /absolute/],
    ['durationSeconds 0', { ...base, durationSeconds: 0 }, /integer >= 1/],
    ['durationSeconds fractional', { ...base, durationSeconds: 1.5 }, /integer >= 1/],
    ['durationSeconds string', { ...base, durationSeconds: '300' }, /integer >= 1/],
    ['durationSeconds NaN', { ...base, durationSeconds: Number.NaN }, /integer >= 1/],
    ['mode unknown', { ...base, mode: 'digest' }, /'bearer' or 'basic'.*'digest'/],
    ['mode that looks like a token', { ...base, mode: ACCESS_TOKEN }, /'bearer' or 'basic'/],
    [
      'origins not an array',
      { ...base, origins: 'https://cg.example.com' },
      /origins must be an array/,
    ],
    ['origins relative', { ...base, origins: ['/cg'] }, /origins\[0\]/],
    [
      'origins http non-loopback',
      { ...base, origins: ['http://cg.example.com'] },
      /origins\[0\].*allowInsecureHttp/,
    ],
    [
      'origins duplicate',
      { ...base, origins: ['https://cg.example.com', 'https://cg.example.com:443/x'] },
      /twice/,
    ],
    [
      'origins bad scope',
      { ...base, origins: [{ url: 'https://cg.example.com', scope: '' }] },
      /origins\[0\]\.scope/,
    ],
    ['origins object without url', { ...base, origins: [{ scope: 'a' }] }, /origins\[0\]/],
    ['scopes not an array', { ...base, scopes: {} }, /scopes must be an array/],
    ['scope rule not an object', { ...base, scopes: ['x'] }, /scopes\[0\] must be an object/],
    [
      'scope rule relative prefix',
      { ...base, scopes: [{ pathPrefix: 'api', scope: 'a' }] },
      /pathPrefix/,
    ],
    [
      'scope rule prefix with query',
      { ...base, scopes: [{ pathPrefix: '/api?x', scope: 'a' }] },
      /pathPrefix/,
    ],
    [
      'scope rule blank scope',
      { ...base, scopes: [{ pathPrefix: '/api', scope: ' ' }] },
      /scopes\[0\]\.scope/,
    ],
    [
      'scope rule quote in scope',
      { ...base, scopes: [{ pathPrefix: '/api', scope: 'a"b' }] },
      /scopes\[0\]\.scope/,
    ],
    [
      'scope rule foreign origin',
      {
        ...base,
        scopes: [{ pathPrefix: '/api', scope: 'a', origin: 'https://other.example.com' }],
      },
      /neither baseUrl/,
    ],
    ['refresh not an object', { ...base, refresh: 5 }, /refresh must be an object/],
    [
      'refresh unknown key',
      { ...base, refresh: { refreshAt: 0.5 } },
      /refresh\.refreshAt is not a known option/,
    ],
    ['refreshAtRatio 0', { ...base, refresh: { refreshAtRatio: 0 } }, /refreshAtRatio/],
    ['refreshAtRatio 1', { ...base, refresh: { refreshAtRatio: 1 } }, /refreshAtRatio/],
    ['jitterRatio negative', { ...base, refresh: { jitterRatio: -0.1 } }, /jitterRatio/],
    ['ratios sum to 1', { ...base, refresh: { refreshAtRatio: 0.7, jitterRatio: 0.3 } }, /below 1/],
    ['expiryMarginMs negative', { ...base, refresh: { expiryMarginMs: -1 } }, /expiryMarginMs/],
    ['exchangeTimeoutMs 0', { ...base, refresh: { exchangeTimeoutMs: 0 } }, /exchangeTimeoutMs/],
    [
      'initialBackoffMs negative',
      { ...base, refresh: { initialBackoffMs: -5 } },
      /initialBackoffMs/,
    ],
    [
      'maxBackoffMs Infinity',
      { ...base, refresh: { maxBackoffMs: Number.POSITIVE_INFINITY } },
      /finite number/,
    ],
    [
      'maxBackoffMs below initial',
      { ...base, refresh: { initialBackoffMs: 1000, maxBackoffMs: 10 } },
      /maxBackoffMs/,
    ],
    ['maxAttempts 0', { ...base, refresh: { maxAttempts: 0 } }, /maxAttempts/],
    ['refresh value a string', { ...base, refresh: { maxBackoffMs: '5' } }, /finite number/],
    ['fetch not a function', { ...base, fetch: 'fetch' }, /fetch must be a function/],
    ['onEvent not a function', { ...base, onEvent: {} }, /onEvent must be a function/],
    [
      'logger without methods',
      { ...base, logger: { info() {} } },
      /logger must be pino-compatible/,
    ],
    ['keepWarm not boolean', { ...base, keepWarm: 'yes' }, /keepWarm must be a boolean/],
    [
      'allowInsecureHttp not boolean',
      { ...base, allowInsecureHttp: 1 },
      /allowInsecureHttp must be a boolean/,
    ],
    ['principal unknown', { ...base, principal: 'admin' }, /principal/],
  ];

  it.each(cases)(
    '%s → invalid_options with a clear, secret-free message',
    (_name, options, message) => {
      const error = creationError(options);
      expect(isWitboostAuthError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'invalid_options', name: 'WitboostAuthError' });
      expect((error as Error).message).toMatch(/^\[@wb\/auth-core\] /);
      expect((error as Error).message).toMatch(message);
      expectNoSecret(error, [ACCESS_TOKEN]);
    },
  );

  it('rejects an accessToken that is neither a string nor a source', () => {
    expect(creationError({ ...base, accessToken: 42 })).toMatchObject({ code: 'invalid_options' });
  });

  it.each([
    ['blank string', { ...base, accessToken: '   ' }],
    ['empty string', { ...base, accessToken: '' }],
  ])('missing access token (%s) → missing_access_token', (_name, options) => {
    const error = creationError(options);
    expect(error).toMatchObject({ code: 'missing_access_token' });
    expectNoSecret(error, [ACCESS_TOKEN]);
  });

  it('names the env var that was read when the default source finds nothing', () => {
    vi.stubEnv('WITBOOST_ACCESS_TOKEN', '');
    const error = creationError({ baseUrl: base.baseUrl });
    expect(error).toMatchObject({ code: 'missing_access_token' });
    expect((error as Error).message).toContain('WITBOOST_ACCESS_TOKEN');
  });

  it('reads the default env var when it is set', async () => {
    vi.stubEnv('WITBOOST_ACCESS_TOKEN', ACCESS_TOKEN);
    const auth = createWitboostAuth({ baseUrl: base.baseUrl, mode: 'basic' });
    await expect(auth.authorizationFor('/api/x')).resolves.toMatch(/^Basic /);
    await auth.close();
  });

  it.each([
    'http://localhost:7007',
    'http://127.0.0.1:7007',
    'http://127.10.0.3',
    'http://[::1]:7007',
    'https://witboost.example.com/witboost/',
  ])('accepts %s', async (baseUrl) => {
    const auth = createWitboostAuth({ baseUrl, accessToken: ACCESS_TOKEN });
    expect(auth.baseUrl.endsWith('/')).toBe(false);
    await auth.close();
  });

  it('accepts http to any host with allowInsecureHttp', async () => {
    const auth = createWitboostAuth({
      baseUrl: 'http://witboost.internal',
      accessToken: ACCESS_TOKEN,
      allowInsecureHttp: true,
    });
    expect(auth.baseUrl).toBe('http://witboost.internal');
    await auth.close();
  });

  it('util.inspect and JSON.stringify of the instance show no secret', async () => {
    const { inspect } = await import('node:util');
    const fetch = vi.fn(async () => {
      throw new TypeError(`fetch failed for ${ACCESS_TOKEN}`);
    });
    const auth = createWitboostAuth({ ...base, fetch, refresh: { maxAttempts: 1 } });
    const error = await auth.authorizationFor('/api/x').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'network_error' });
    expectNoSecret(error, [ACCESS_TOKEN]);
    expect(inspect(auth, { depth: 10, showHidden: true })).not.toContain(ACCESS_TOKEN);
    expect(JSON.stringify(auth)).not.toContain(ACCESS_TOKEN);
    await auth.close();
  });
});
