import { WitboostAuthError } from '@wb/auth-core';
import { AxiosHeaders, type InternalAxiosRequestConfig, isCancel } from 'axios';
import { describe, expect, test } from 'vitest';
import { ERR_WITBOOST_AUTH, toAxiosError } from './errors.js';

function configWith(signal?: AbortSignal): InternalAxiosRequestConfig {
  return { headers: new AxiosHeaders(), url: '/api/x', ...(signal ? { signal } : {}) };
}

// axios 1.21 cancels an aborted request itself; older 1.x releases rely on this mapping.
describe('toAxiosError', () => {
  test('wraps a core error in an AxiosError with the core error as cause', () => {
    const cause = new WitboostAuthError('rate_limited', 'slow down', { status: 429 });
    const error = toAxiosError(cause, configWith());

    expect(error).toMatchObject({ code: ERR_WITBOOST_AUTH, cause, config: { url: '/api/x' } });
    expect((error as Error).message).toBe(
      '[@wb/auth-axios] No Witboost credential for this request: [@wb/auth-core] slow down',
    );
  });

  test('turns an abort by the caller into an axios cancellation', () => {
    const controller = new AbortController();
    controller.abort();
    const cause = new WitboostAuthError('aborted', 'aborted by the caller');

    expect(isCancel(toAxiosError(cause, configWith(controller.signal)))).toBe(true);
    expect(isCancel(toAxiosError(cause, configWith()))).toBe(false);
  });

  test('passes any other error through', () => {
    const other = new TypeError('boom');
    expect(toAxiosError(other, configWith())).toBe(other);
  });
});
