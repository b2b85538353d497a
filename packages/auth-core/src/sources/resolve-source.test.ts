import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { caught, expectNoSecret, sampleAccessToken } from '../../test/support/expect-no-secret.js';
import { WitboostAuthError } from '../errors.js';
import type { AccessTokenSource } from '../types.js';
import { fromEnv } from './from-env.js';
import { readAccessToken, toAccessTokenSource } from './resolve-source.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

const source = (getAccessToken: () => Promise<string>, description = 'test source') => ({
  description,
  getAccessToken,
});

describe('toAccessTokenSource', () => {
  it('reads WITBOOST_ACCESS_TOKEN when the option is undefined', async () => {
    const token = sampleAccessToken();
    vi.stubEnv('WITBOOST_ACCESS_TOKEN', token);
    const resolved = toAccessTokenSource(undefined, 'service');
    expect(resolved.description).toBe('env WITBOOST_ACCESS_TOKEN');
    await expect(readAccessToken(resolved, 'service')).resolves.toBe(token);
  });

  it.each([
    ['unset', undefined],
    ['blank', ' '],
  ])('fails at once, naming the variable, when WITBOOST_ACCESS_TOKEN is %s', async (_n, value) => {
    vi.stubEnv('WITBOOST_ACCESS_TOKEN', value);
    const error = await caught(() => toAccessTokenSource(undefined, 'service'));
    expect(error).toBeInstanceOf(WitboostAuthError);
    expect((error as WitboostAuthError).code).toBe('missing_access_token');
    expect((error as WitboostAuthError).principal).toBe('service');
    expect((error as Error).message).toContain('WITBOOST_ACCESS_TOKEN');
  });

  it('checks an explicit fromEnv(name) source eagerly too', async () => {
    vi.stubEnv('WB_OTHER_TOKEN', undefined);
    const error = await caught(() => toAccessTokenSource(fromEnv('WB_OTHER_TOKEN'), 'service'));
    expect((error as WitboostAuthError).code).toBe('missing_access_token');
    expect((error as Error).message).toContain('WB_OTHER_TOKEN');
  });

  it('turns a string into a constant source that redacts itself', async () => {
    const token = sampleAccessToken();
    const resolved = toAccessTokenSource(` ${token} `, 'service');
    await expect(resolved.getAccessToken()).resolves.toBe(token);
    expect(inspect(resolved)).toBe(`[AccessTokenSource constant wbat-…${token.slice(-4)}]`);
    expect(JSON.parse(JSON.stringify(resolved))).toEqual({
      description: 'accessToken option',
      accessToken: `wbat-…${token.slice(-4)}`,
    });
    expectNoSecret(resolved, [token]);
    expectNoSecret({ nested: { resolved } }, [token]);
  });

  it.each([[''], ['   '], ['\n']])(
    'rejects the blank string %j as missing_access_token',
    async (blank) => {
      const error = await caught(() => toAccessTokenSource(blank, 'caller'));
      expect((error as WitboostAuthError).code).toBe('missing_access_token');
      expect((error as WitboostAuthError).principal).toBe('caller');
    },
  );

  it.each([
    ['a control character', `${sampleAccessToken()}\u0000x`],
    ['inner whitespace', `${sampleAccessToken()} x`],
    ['too many characters', `wbat-${'a'.repeat(4100)}`],
  ])('rejects a string with %s as invalid_access_token, without echoing it', async (_n, value) => {
    const error = await caught(() => toAccessTokenSource(value, 'service'));
    expect((error as WitboostAuthError).code).toBe('invalid_access_token');
    expectNoSecret(error, [value.slice(0, 30)]);
  });

  it('returns a valid source object as is', () => {
    const custom = source(async () => 'wbat-x');
    expect(toAccessTokenSource(custom, 'service')).toBe(custom);
  });

  it('gives a source without a description a readable one', async () => {
    const close = vi.fn();
    const resolved = toAccessTokenSource(
      { getAccessToken: async () => 'wbat-x', close } as unknown as AccessTokenSource,
      'service',
    );
    expect(resolved.description).toBe('custom access token source');
    await expect(resolved.getAccessToken()).resolves.toBe('wbat-x');
    await resolved.close?.();
    expect(close).toHaveBeenCalledOnce();
  });

  it.each([
    ['null', null],
    ['a number', 42],
    ['an object without getAccessToken', { description: 'x' }],
    [
      'an object whose getAccessToken is not a function',
      { description: 'x', getAccessToken: 'wbat-x' },
    ],
  ])('rejects %s as invalid_options', async (_n, value) => {
    const error = await caught(() => toAccessTokenSource(value as unknown as string, 'service'));
    expect((error as WitboostAuthError).code).toBe('invalid_options');
  });
});

describe('readAccessToken', () => {
  it('returns the trimmed token', async () => {
    await expect(
      readAccessToken(
        source(async () => ' wbat-x\n'),
        'service',
      ),
    ).resolves.toBe('wbat-x');
  });

  it.each([
    ['a number', 42, 'token_source_failed'],
    ['null', null, 'token_source_failed'],
    ['an object holding the token', { token: 'wbat-inside-object-1234' }, 'token_source_failed'],
    ['a blank string', '  ', 'missing_access_token'],
    ['a token with inner whitespace', 'wbat-abc def-secret-part', 'token_source_failed'],
    ['a token with a control character', 'wbat-abc\u0007def-secret-part', 'token_source_failed'],
    ['a token with a non-ASCII character', 'wbat-abcé-secret-part', 'token_source_failed'],
    ['a value longer than 4096', `wbat-${'s'.repeat(4092)}`, 'token_source_failed'],
  ])('rejects %s with %s and never shows the value', async (_n, value, code) => {
    const error = await caught(() =>
      readAccessToken(
        source(async () => value as string),
        'caller',
      ),
    );
    expect(error).toBeInstanceOf(WitboostAuthError);
    expect((error as WitboostAuthError).code).toBe(code);
    expect((error as WitboostAuthError).principal).toBe('caller');
    expect((error as Error).message).toContain('"test source"');
    expectNoSecret(error, ['secret-part', 'inside-object', 'ssss']);
  });

  it('accepts exactly 4096 characters', async () => {
    const token = `wbat-${'s'.repeat(4091)}`;
    await expect(
      readAccessToken(
        source(async () => token),
        'service',
      ),
    ).resolves.toBe(token);
  });

  it('wraps a throwing source as token_source_failed with principal and redacted message', async () => {
    const token = sampleAccessToken();
    const jwt = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln';
    const error = await caught(() =>
      readAccessToken(
        source(async () => {
          throw new Error(`denied ${token} ${jwt}`);
        }, 'vault'),
        'service',
      ),
    );
    expect((error as WitboostAuthError).code).toBe('token_source_failed');
    expect((error as WitboostAuthError).principal).toBe('service');
    expect((error as Error).message).toContain('"vault" failed: denied wbat-…');
    expectNoSecret(error, [token, jwt]);
  });

  it('wraps a source that throws synchronously', async () => {
    const throwing = {
      description: 'sync',
      getAccessToken(): Promise<string> {
        throw new TypeError('boom');
      },
    };
    const error = await caught(() => readAccessToken(throwing, 'service'));
    expect((error as WitboostAuthError).code).toBe('token_source_failed');
  });

  it('keeps the code of a WitboostAuthError from the source and sets the principal', async () => {
    vi.stubEnv('WB_LATER_TOKEN', 'wbat-present');
    const env = fromEnv('WB_LATER_TOKEN');
    vi.stubEnv('WB_LATER_TOKEN', undefined);
    const error = await caught(() => readAccessToken(env, 'caller'));
    expect((error as WitboostAuthError).code).toBe('missing_access_token');
    expect((error as WitboostAuthError).principal).toBe('caller');
    expect((error as Error).message).toMatch(
      /^\[@wb\/auth-core\] no access token: environment variable WB_LATER_TOKEN/,
    );
  });

  it('redacts a WitboostAuthError-like error from another copy of the package', async () => {
    const token = sampleAccessToken();
    const foreign = Object.assign(new Error(`[@wb/auth-core] rejected ${token}`), {
      name: 'WitboostAuthError',
      code: 'access_token_rejected',
      status: 401,
    });
    const error = await caught(() =>
      readAccessToken(
        source(() => Promise.reject(foreign)),
        'caller',
      ),
    );
    expect(error).toBeInstanceOf(WitboostAuthError);
    expect((error as WitboostAuthError).code).toBe('access_token_rejected');
    expect((error as WitboostAuthError).status).toBe(401);
    expect((error as Error).message).toBe(`[@wb/auth-core] rejected wbat-…${token.slice(-4)}`);
    expectNoSecret(error, [token]);
  });
});
