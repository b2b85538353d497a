import { inspect } from 'node:util';
import { createWitboostAuth, fromFunction, WitboostAuthError } from '@wb/auth-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { caught, expectNoSecret, sampleAccessToken } from '../../test/support/expect-no-secret.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('fromFunction', () => {
  it('returns what the function returns, trimmed, sync or async', async () => {
    const token = sampleAccessToken();
    await expect(fromFunction(() => ` ${token}\n`).getAccessToken()).resolves.toBe(token);
    await expect(fromFunction(async () => token).getAccessToken()).resolves.toBe(token);
  });

  it('uses the description, defaulting to "function"', () => {
    expect(fromFunction(() => 'x').description).toBe('function');
    expect(fromFunction(() => 'x', { description: 'vault secret/wb' }).description).toBe(
      'vault secret/wb',
    );
  });

  it('calls the function every time by default, and shares one call between concurrent callers', async () => {
    let calls = 0;
    const source = fromFunction(async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return `wbat-call-${calls}`;
    });
    const results = await Promise.all([source.getAccessToken(), source.getAccessToken()]);
    expect(results).toEqual(['wbat-call-1', 'wbat-call-1']);
    await expect(source.getAccessToken()).resolves.toBe('wbat-call-2');
    expect(calls).toBe(2);
  });

  it('stops sharing a call that hangs after 5 s: the next read calls the function again', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const source = fromFunction(() => {
      calls++;
      return calls === 1 ? new Promise<string>(() => {}) : 'wbat-second-call';
    });
    const hung = source.getAccessToken();
    void source.getAccessToken();
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(4_999);
    void source.getAccessToken();
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(source.getAccessToken()).resolves.toBe('wbat-second-call');
    expect(calls).toBe(2);
    expect(vi.getTimerCount()).toBe(0);
    void hung;
  });

  it('through createWitboostAuth, a read after a hung one gets a fresh call', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const auth = createWitboostAuth({
      baseUrl: 'https://witboost.example.com',
      mode: 'basic',
      accessToken: fromFunction(() => {
        calls++;
        return calls === 1 ? new Promise<string>(() => {}) : 'wbat-second-call-0123456789';
      }),
      refresh: { exchangeTimeoutMs: 5_000 },
    });
    const first = auth.authorizationFor('/api/x').catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await first).toMatchObject({ code: 'token_source_failed' });
    await expect(auth.authorizationFor('/api/x')).resolves.toMatch(/^Basic /);
    expect(calls).toBe(2);
    await auth.close();
  });

  it('caches for cacheMs', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const source = fromFunction(() => `wbat-call-${++calls}`, { cacheMs: 1000 });
    await expect(source.getAccessToken()).resolves.toBe('wbat-call-1');
    vi.advanceTimersByTime(999);
    await expect(source.getAccessToken()).resolves.toBe('wbat-call-1');
    vi.advanceTimersByTime(1);
    await expect(source.getAccessToken()).resolves.toBe('wbat-call-2');
  });

  it('wraps a failure as token_source_failed with a redacted message and cause', async () => {
    const token = sampleAccessToken();
    const original = new Error(`vault said no for ${token} (Bearer ${token})`);
    const source = fromFunction(
      () => {
        throw original;
      },
      { description: 'vault' },
    );
    const error = await caught(() => source.getAccessToken());
    expect(error).toBeInstanceOf(WitboostAuthError);
    expect((error as WitboostAuthError).code).toBe('token_source_failed');
    expect((error as Error).message).toContain('"vault" failed: vault said no for wbat-…');
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect(((error as Error).cause as Error).message).toContain('vault said no');
    expectNoSecret(error, [token]);
  });

  it('keeps the facts of a clean error as cause, in a copy', async () => {
    const original = Object.assign(new Error('ECONNREFUSED 127.0.0.1:8200'), {
      code: 'ECONNREFUSED',
    });
    const error = await caught(() => fromFunction(() => Promise.reject(original)).getAccessToken());
    const cause = (error as Error).cause as Error & { code?: string };
    // Never the original: its other fields could hold anything.
    expect(cause).not.toBe(original);
    expect(cause).toBeInstanceOf(Error);
    expect(cause.message).toBe('ECONNREFUSED 127.0.0.1:8200');
    expect(cause.code).toBe('ECONNREFUSED');
    expect(cause.stack).toBe(original.stack);
  });

  it('never exposes the fields of what the function threw (an HTTP client error with headers)', async () => {
    const token = sampleAccessToken('s');
    class StoreError extends Error {}
    const thrown = Object.assign(new StoreError('Request failed with status code 500'), {
      config: {
        headers: { Authorization: `Bearer ${token}` },
        data: `{"access_token":"${token}"}`,
      },
      cause: Object.assign(new Error('socket hang up'), { request: { auth: token } }),
    });
    const auth = createWitboostAuth({
      baseUrl: 'https://witboost.example.com',
      accessToken: fromFunction(() => Promise.reject(thrown), { description: 'vault' }),
      fetch: () => Promise.reject(new Error('no exchange expected')),
    });
    const error = await caught(() => auth.getToken());
    await auth.close();
    expect((error as WitboostAuthError).code).toBe('token_source_failed');
    const rendered = inspect(error, { depth: 10, showHidden: true, getters: true });
    expect(rendered).toContain('Request failed with status code 500');
    expect(rendered).toContain('socket hang up');
    expect(rendered).not.toContain(token);
    expect(rendered).not.toContain('config');
    expectNoSecret(error, [token]);
  });

  it('wraps a thrown non-error without printing it', async () => {
    const token = sampleAccessToken();
    const error = await caught(() =>
      fromFunction(() => {
        throw { secret: token };
      }).getAccessToken(),
    );
    expect((error as WitboostAuthError).code).toBe('token_source_failed');
    expectNoSecret(error, [token]);
  });

  it.each([
    ['a number', 42, 'token_source_failed'],
    ['undefined', undefined, 'token_source_failed'],
    ['a blank string', '  ', 'missing_access_token'],
    ['a token with a newline inside', 'wbat-abc\ndef', 'token_source_failed'],
  ])('rejects %s', async (_n, value, code) => {
    const error = await caught(() => fromFunction(() => value as string).getAccessToken());
    expect((error as WitboostAuthError).code).toBe(code);
  });

  it.each([
    ['fn not a function', 'wbat-x', {}],
    ['blank description', () => 'x', { description: ' ' }],
    ['negative cacheMs', () => 'x', { cacheMs: -1 }],
    ['NaN cacheMs', () => 'x', { cacheMs: Number.NaN }],
  ])('rejects %s as invalid_options', async (_n, fn, options) => {
    const error = await caught(() => fromFunction(fn as () => string, options));
    expect((error as WitboostAuthError).code).toBe('invalid_options');
  });
});
