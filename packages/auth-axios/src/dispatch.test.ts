import { AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import { describe, expect, test } from 'vitest';
import { canGuardDispatch, guardTransform } from './dispatch.js';

// The fallback for named adapters on axios < 1.5 (no axios.getAdapter), or on an instance of
// another axios copy; the dispatch guard itself runs in test/axios.test.ts.
describe('guardTransform', () => {
  const authorised = { url: 'https://wb.example.com/api/x', header: 'Bearer jwt' };

  function dispatched(config: Partial<InternalAxiosRequestConfig>) {
    const headers = new AxiosHeaders({ Authorization: 'Bearer jwt' });
    const [guard, user] = guardTransform((data: unknown) => `${String(data)}!`, authorised);
    const full = { headers, ...config } as InternalAxiosRequestConfig;
    const data = user?.call(full, guard?.call(full, 'body', headers), headers);
    return { data, authorization: headers.get('Authorization') };
  }

  test('drops our header when an interceptor moved the request to another origin', () => {
    expect(dispatched({ baseURL: 'https://evil.example', url: '/api/x' })).toEqual({
      data: 'body!',
      authorization: undefined,
    });
  });

  test('keeps it on the authorised origin', () => {
    expect(dispatched({ baseURL: 'https://wb.example.com', url: '/api/y' })).toEqual({
      data: 'body!',
      authorization: 'Bearer jwt',
    });
  });

  test('is used for names only when axios.getAdapter of the same axios copy resolves them', () => {
    const ours = { headers: new AxiosHeaders(), adapter: 'http' } as InternalAxiosRequestConfig;
    const foreignCopy = { ...ours, headers: { get: () => undefined } } as never;
    const fn = { ...ours, adapter: () => Promise.reject(new Error('x')) } as never;

    expect(canGuardDispatch(ours)).toBe(true);
    expect(canGuardDispatch(ours, null)).toBe(false);
    expect(canGuardDispatch(foreignCopy)).toBe(false);
    expect(canGuardDispatch(fn, null)).toBe(true);
  });
});
