import { WitboostAuthError } from '@wb/auth-core';
import { AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import { describe, expect, test } from 'vitest';
import { ERR_WITBOOST_AUTH, toAxiosError } from './errors.js';

const config: InternalAxiosRequestConfig = { headers: new AxiosHeaders(), url: '/api/x' };

describe('toAxiosError', () => {
  test('wraps a core error in an AxiosError with the core error as cause', () => {
    const cause = new WitboostAuthError('rate_limited', 'slow down', { status: 429 });
    const error = toAxiosError(cause, config);

    expect(error).toMatchObject({ code: ERR_WITBOOST_AUTH, cause, config: { url: '/api/x' } });
    expect((error as Error).message).toBe(
      '[@wb/auth-axios] No Witboost credential for this request: [@wb/auth-core] slow down',
    );
  });

  test('passes any other error through', () => {
    const other = new TypeError('boom');
    expect(toAxiosError(other, config)).toBe(other);
  });
});
