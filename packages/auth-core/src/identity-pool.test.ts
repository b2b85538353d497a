import { inspect } from 'node:util';
import type { AccessTokenSource, Principal, WitboostAuth } from '@wb/auth-core';
import { createIdentityPool, createWitboostAuth, WitboostAuthError } from '@wb/auth-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ACCESS_TOKEN, exchangeStub } from '../test/helpers.js';
import { caught, expectNoSecret, sampleAccessToken } from '../test/support/expect-no-secret.js';

afterEach(() => {
  vi.useRealTimers();
});

interface FakeAuth extends WitboostAuth {
  readonly closed: boolean;
  readonly children: FakeAuth[];
}

/** A cheap stand-in implementing only the public WitboostAuth interface. */
function fakeAuth(principal: Principal = 'service', label = 'service'): FakeAuth {
  let closed = false;
  const children: FakeAuth[] = [];
  const auth: FakeAuth = {
    baseUrl: 'https://witboost.example.com',
    mode: 'bearer',
    principal,
    get closed() {
      return closed;
    },
    children,
    authorizationFor: async () => `Bearer jwt-of-${label}`,
    isWitboostUrl: () => true,
    scopeFor: () => undefined,
    getToken: async () => `jwt-of-${label}`,
    invalidate: () => undefined,
    fetch: async () => new Response(label),
    withAccessToken(_token: string | AccessTokenSource, childPrincipal?: Principal) {
      const child = fakeAuth(childPrincipal, `caller-${children.length}`);
      children.push(child);
      return child;
    },
    status: () => ({ closed, mode: 'bearer', scopes: [] }),
    async close() {
      closed = true;
    },
    [Symbol.asyncDispose]: async () => undefined,
  };
  return auth;
}

describe('createIdentityPool', () => {
  it('hands out the service identity for an undefined caller token', async () => {
    const auth = fakeAuth();
    const pool = createIdentityPool(auth);
    const context = pool.contextFor();
    expect(context.auth).toBe(auth);
    expect(pool.contextFor(undefined)).toBe(context);
    expect(pool.size).toBe(0);
    // Bound methods: usable when destructured, as a handler would.
    const { getToken, authorizationFor, fetch } = context;
    await expect(getToken()).resolves.toBe('jwt-of-service');
    await expect(authorizationFor('/api/x')).resolves.toBe('Bearer jwt-of-service');
    await expect((await fetch('/api/x')).text()).resolves.toBe('service');
  });

  it('creates one caller identity per distinct token and reuses it', () => {
    const auth = fakeAuth();
    const withAccessToken = vi.spyOn(auth, 'withAccessToken');
    const pool = createIdentityPool(auth);
    const a = sampleAccessToken('a');
    const first = pool.contextFor(a);
    expect(first.auth.principal).toBe('caller');
    expect(withAccessToken).toHaveBeenCalledWith(a, 'caller');
    expect(pool.contextFor(a)).toBe(first);
    expect(pool.contextFor(sampleAccessToken('b'))).not.toBe(first);
    expect(withAccessToken).toHaveBeenCalledTimes(2);
    expect(pool.size).toBe(2);
  });

  it('keys identities by SHA-256 and never keeps the token in view', () => {
    const pool = createIdentityPool(fakeAuth());
    const token = sampleAccessToken();
    pool.contextFor(token);
    const rendered = inspect(pool, { depth: 10, showHidden: true, getters: true });
    expect(rendered).not.toContain(token);
    expect(JSON.stringify(pool)).not.toContain(token);
  });

  it('evicts and closes the least recently used identity beyond maxIdentities', async () => {
    const auth = fakeAuth();
    const pool = createIdentityPool(auth, { maxIdentities: 2 });
    pool.contextFor('wbat-a');
    pool.contextFor('wbat-b');
    pool.contextFor('wbat-a'); // a is now the most recently used
    pool.contextFor('wbat-c'); // evicts b
    const [a, b, c] = auth.children;
    expect(pool.size).toBe(2);
    await Promise.resolve();
    expect(b?.closed).toBe(true);
    expect(a?.closed).toBe(false);
    expect(c?.closed).toBe(false);
    expect(pool.contextFor('wbat-a').auth).toBe(a);
    pool.contextFor('wbat-b');
    expect(auth.children).toHaveLength(4);
  });

  it('closes an evicted identity only after its calls in flight have settled', async () => {
    const auth = fakeAuth();
    const slow = fakeAuth('caller', 'slow');
    let release: (value: string) => void = () => undefined;
    slow.getToken = () => new Promise<string>((resolve) => (release = resolve));
    const derive = auth.withAccessToken.bind(auth);
    auth.withAccessToken = (token, principal) =>
      token === 'wbat-busy' ? slow : derive(token, principal);
    const pool = createIdentityPool(auth, { maxIdentities: 1 });
    const call = pool.contextFor('wbat-busy').getToken();
    pool.contextFor('wbat-other'); // evicts the busy identity while its call runs
    await Promise.resolve();
    expect(pool.size).toBe(1);
    expect(slow.closed).toBe(false);
    release('jwt');
    await expect(call).resolves.toBe('jwt');
    await Promise.resolve();
    expect(slow.closed).toBe(true);
  });

  it('closes identities idle for idleTimeoutMs on the next call', () => {
    vi.useFakeTimers();
    const auth = fakeAuth();
    const pool = createIdentityPool(auth, { idleTimeoutMs: 1000 });
    pool.contextFor('wbat-old');
    vi.advanceTimersByTime(600);
    pool.contextFor('wbat-recent');
    vi.advanceTimersByTime(400);
    pool.contextFor();
    expect(pool.size).toBe(1);
    expect(auth.children[0]?.closed).toBe(true);
    expect(auth.children[1]?.closed).toBe(false);
    vi.advanceTimersByTime(600);
    pool.contextFor();
    expect(pool.size).toBe(0);
  });

  it('a context held across an eviction keeps working on a fresh instance', async () => {
    const stub = exchangeStub();
    const service = createWitboostAuth({
      baseUrl: 'https://witboost.example.com',
      accessToken: ACCESS_TOKEN,
      fetch: stub.fetch,
    });
    const pool = createIdentityPool(service, { maxIdentities: 2 });
    const a = sampleAccessToken('a');
    const context = pool.contextFor(a);
    await expect(context.getToken()).resolves.toEqual(expect.any(String));
    const before = context.auth;
    // Between two calls of the same request, two other callers push it out of the pool.
    pool.contextFor(sampleAccessToken('b'));
    pool.contextFor(sampleAccessToken('c'));
    await expect(before.getToken()).rejects.toMatchObject({ code: 'closed' });
    await expect(context.getToken()).resolves.toEqual(expect.any(String));
    await expect(context.authorizationFor('/api/x')).resolves.toMatch(/^Bearer /);
    expect(context.auth).not.toBe(before);
    expect(context.auth.principal).toBe('caller');
    expect(pool.size).toBe(2);
    expect(pool.contextFor(a).auth).toBe(context.auth);
    expect(stub.calls.filter((call) => call.body.access_token === a)).toHaveLength(2);
    expect(inspect(context, { depth: 10, showHidden: true, getters: true })).not.toContain(a);
    await pool.close();
    await expect(context.getToken()).rejects.toMatchObject({ code: 'closed' });
    await service.close();
  });

  it('counts every call through a context as use for idle eviction', async () => {
    vi.useFakeTimers();
    const auth = fakeAuth();
    const pool = createIdentityPool(auth, { idleTimeoutMs: 300 });
    const context = pool.contextFor('wbat-busy');
    const first = context.auth;
    for (let i = 0; i < 4; i++) {
      await context.getToken();
      vi.advanceTimersByTime(100);
    }
    pool.contextFor(); // another request arrives: the sweep must spare the busy caller
    expect(pool.size).toBe(1);
    expect(auth.children[0]?.closed).toBe(false);
    expect(context.auth).toBe(first);
    vi.advanceTimersByTime(300);
    pool.contextFor();
    expect(pool.size).toBe(0);
    expect(auth.children[0]?.closed).toBe(true);
  });

  it('swallows errors of closing an evicted identity', async () => {
    const auth = fakeAuth();
    vi.spyOn(auth, 'withAccessToken').mockImplementation(() => {
      const child = fakeAuth('caller');
      child.close = () => Promise.reject(new Error('close failed'));
      return child;
    });
    const pool = createIdentityPool(auth, { maxIdentities: 1 });
    pool.contextFor('wbat-a');
    expect(() => pool.contextFor('wbat-b')).not.toThrow();
    await new Promise((resolve) => setImmediate(resolve));
  });

  it('stays bounded with 100,000 distinct callers', { timeout: 30_000 }, async () => {
    // Counters instead of kept children, so the test itself stays as small as the pool must.
    let created = 0;
    let closedCount = 0;
    const caller = fakeAuth('caller');
    const cheap = (): WitboostAuth => ({
      ...caller,
      close: async () => {
        closedCount++;
      },
    });
    const auth = {
      ...fakeAuth(),
      withAccessToken: () => {
        created++;
        return cheap();
      },
    };
    const pool = createIdentityPool(auth);
    let maxSize = 0;
    for (let i = 0; i < 100_000; i++) {
      pool.contextFor(`wbat-caller-${i}`);
      maxSize = Math.max(maxSize, pool.size);
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(created).toBe(100_000);
    expect(maxSize).toBe(1000);
    expect(pool.size).toBe(1000);
    expect(closedCount).toBe(99_000);
  });

  it('close() closes every caller identity but not the service one', async () => {
    const auth = fakeAuth();
    const pool = createIdentityPool(auth);
    pool.contextFor('wbat-a');
    pool.contextFor('wbat-b');
    await pool.close();
    expect(auth.children.every((child) => child.closed)).toBe(true);
    expect(auth.closed).toBe(false);
    expect(pool.size).toBe(0);
    const error = await caught(() => pool.contextFor('wbat-a'));
    expect((error as WitboostAuthError).code).toBe('closed');
  });

  it.each([
    ['blank', ''],
    ['whitespace only', ' \t\n'],
    ['too long', `wbat-${'x'.repeat(4092)}`],
    ['with a control character', `${sampleAccessToken()}\r\nX-Injected: 1`],
    ['with inner whitespace', `${sampleAccessToken()} other`],
    ['not a string', 42],
  ])('rejects a caller token %s as invalid_access_token before any exchange', async (_n, token) => {
    const auth = fakeAuth();
    const withAccessToken = vi.spyOn(auth, 'withAccessToken');
    const pool = createIdentityPool(auth);
    const error = await caught(() => pool.contextFor(token as string));
    expect(error).toBeInstanceOf(WitboostAuthError);
    expect((error as WitboostAuthError).code).toBe('invalid_access_token');
    expect((error as WitboostAuthError).principal).toBe('caller');
    expect(withAccessToken).not.toHaveBeenCalled();
    if (typeof token === 'string' && token.trim() !== '')
      expectNoSecret(error, [token.slice(0, 30)]);
  });

  it('honours maxAccessTokenLength', async () => {
    const pool = createIdentityPool(fakeAuth(), { maxAccessTokenLength: 10 });
    expect(() => pool.contextFor('wbat-12345')).not.toThrow();
    const error = await caught(() => pool.contextFor('wbat-123456'));
    expect((error as WitboostAuthError).code).toBe('invalid_access_token');
  });

  it.each([
    ['auth missing', undefined, {}],
    ['auth without withAccessToken', { fetch: () => undefined }, {}],
    ['options not an object', 'x', 'max'],
    ['maxIdentities 0', 'auth', { maxIdentities: 0 }],
    ['maxIdentities fractional', 'auth', { maxIdentities: 1.5 }],
    ['idleTimeoutMs negative', 'auth', { idleTimeoutMs: -5 }],
    ['idleTimeoutMs NaN', 'auth', { idleTimeoutMs: Number.NaN }],
    ['maxAccessTokenLength 0', 'auth', { maxAccessTokenLength: 0 }],
  ])('rejects %s as invalid_options', async (_n, auth, options) => {
    const error = await caught(() =>
      createIdentityPool(
        (auth === 'auth' || auth === 'x' ? fakeAuth() : auth) as WitboostAuth,
        options as object,
      ),
    );
    expect((error as WitboostAuthError).code).toBe('invalid_options');
  });
});
