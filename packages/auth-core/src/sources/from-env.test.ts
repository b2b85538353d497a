import { fromEnv, WitboostAuthError } from '@wb/auth-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { caught, expectNoSecret, sampleAccessToken } from '../../test/support/expect-no-secret.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('fromEnv', () => {
  it('reads WITBOOST_ACCESS_TOKEN by default and describes itself without the value', async () => {
    const token = sampleAccessToken();
    vi.stubEnv('WITBOOST_ACCESS_TOKEN', `${token}\n`);
    const source = fromEnv();
    expect(source.description).toBe('env WITBOOST_ACCESS_TOKEN');
    await expect(source.getAccessToken()).resolves.toBe(token);
    expectNoSecret(source, [token]);
  });

  it('reads the variable on every call, so a change is picked up', async () => {
    vi.stubEnv('WB_TOKEN_TEST', 'wbat-first');
    const source = fromEnv('WB_TOKEN_TEST');
    await expect(source.getAccessToken()).resolves.toBe('wbat-first');
    vi.stubEnv('WB_TOKEN_TEST', 'wbat-second');
    await expect(source.getAccessToken()).resolves.toBe('wbat-second');
  });

  it.each([
    ['unset', undefined, 'is not set'],
    ['blank', '  \n', 'is blank'],
  ])('rejects with missing_access_token naming the variable when %s', async (_n, value, text) => {
    vi.stubEnv('WB_TOKEN_TEST', value);
    const error = await caught(() => fromEnv('WB_TOKEN_TEST').getAccessToken());
    expect(error).toBeInstanceOf(WitboostAuthError);
    expect((error as WitboostAuthError).code).toBe('missing_access_token');
    expect((error as Error).message).toContain('WB_TOKEN_TEST');
    expect((error as Error).message).toContain(text);
  });

  it.each([[''], ['  '], ['A=B'], [42], [null]])(
    'rejects the name %j as invalid_options',
    async (name) => {
      const error = await caught(() => fromEnv(name as string));
      expect((error as WitboostAuthError).code).toBe('invalid_options');
    },
  );
});
