import type { AccessTokenSource, RequestIdentitiesOptions } from '@wb/auth-core';
import { createRequestIdentities, createWitboostAuth, isWitboostAuthError } from '@wb/auth-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { caught, expectNoSecret, sampleAccessToken } from '../test/support/expect-no-secret.js';

const BASE_URL = 'https://witboost.example.com';
const SERVICE_TOKEN = sampleAccessToken('s');
const CALLER = 'x-caller';

/** The smallest request a framework could hand over: a header bag. */
interface FakeRequest {
  headers: Record<string, string | undefined>;
}
const request = (caller?: string): FakeRequest => ({ headers: { [CALLER]: caller } });
const callerOf = (req: FakeRequest) => req.headers[CALLER];

/** An access-token source whose `close()` shows whether the auth built on it was closed. */
function watchedSource(): AccessTokenSource & { closed: () => boolean } {
  let closed = false;
  return {
    description: 'test source',
    getAccessToken: async () => SERVICE_TOKEN,
    close: () => {
      closed = true;
    },
    closed: () => closed,
  };
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('createRequestIdentities', () => {
  it('uses the given auth for the service identity and never closes it', async () => {
    const source = watchedSource();
    const auth = createWitboostAuth({ baseUrl: BASE_URL, accessToken: source });
    cleanups.push(() => auth.close());
    const identities = createRequestIdentities<FakeRequest>(
      { auth, identity: callerOf },
      { name: '@wb/test' },
    );
    const service = identities.contextFor(request());
    expect(service.auth).toBe(auth);
    expect(identities.contextFor(request())).toBe(service);
    expect(identities.identities).toBe(0);
    identities.contextFor(request(sampleAccessToken('alice')));
    await identities.close();
    expect(source.closed()).toBe(false);
    await auth.close();
    expect(source.closed()).toBe(true);
  });

  it('gives each caller token its own identity and counts them', () => {
    const auth = createWitboostAuth({ baseUrl: BASE_URL, accessToken: SERVICE_TOKEN });
    cleanups.push(() => auth.close());
    const identify = vi.fn(callerOf);
    const identities = createRequestIdentities<FakeRequest>(
      { auth, identity: identify },
      { name: '@wb/test' },
    );
    cleanups.push(() => identities.close());
    const alice = identities.contextFor(request(sampleAccessToken('alice')));
    expect(alice.auth.principal).toBe('caller');
    expect(alice.auth).not.toBe(auth);
    expect(identities.contextFor(request(sampleAccessToken('alice')))).toBe(alice);
    identities.contextFor(request(sampleAccessToken('bob')));
    expect(identities.identities).toBe(2);
    expect(identify).toHaveBeenCalledTimes(3);
    expect(identify).toHaveBeenLastCalledWith(request(sampleAccessToken('bob')));
  });

  it('without identity every request gets the service identity', () => {
    const auth = createWitboostAuth({ baseUrl: BASE_URL, accessToken: SERVICE_TOKEN });
    cleanups.push(() => auth.close());
    const identities = createRequestIdentities<FakeRequest>({ auth }, { name: '@wb/test' });
    expect(identities.contextFor(request(sampleAccessToken('alice'))).auth).toBe(auth);
    expect(identities.identities).toBe(0);
  });

  it('rejects a blank caller token and passes on what identity throws', () => {
    const auth = createWitboostAuth({ baseUrl: BASE_URL, accessToken: SERVICE_TOKEN });
    cleanups.push(() => auth.close());
    const identities = createRequestIdentities<FakeRequest>(
      { auth, identity: callerOf },
      { name: '@wb/test' },
    );
    cleanups.push(() => identities.close());
    expect(() => identities.contextFor(request(' '))).toThrow(
      expect.objectContaining({ code: 'invalid_access_token', principal: 'caller' }),
    );
    const broken = createRequestIdentities<FakeRequest>(
      {
        auth,
        identity: () => {
          throw new Error('no header bag');
        },
      },
      { name: '@wb/test' },
    );
    cleanups.push(() => broken.close());
    expect(() => broken.contextFor(request())).toThrow('no header bag');
  });

  it('creates the auth from core options, owns it and closes it once', async () => {
    const source = watchedSource();
    const identities = createRequestIdentities<FakeRequest>(
      { baseUrl: BASE_URL, accessToken: source, identity: callerOf },
      { name: '@wb/test' },
    );
    const service = identities.contextFor(request());
    expect(service.auth.baseUrl).toBe(BASE_URL);
    expect(service.auth.principal).toBe('service');
    identities.contextFor(request(sampleAccessToken('alice')));
    const first = identities.close();
    expect(identities.close()).toBe(first);
    await first;
    expect(source.closed()).toBe(true);
    expect(identities.identities).toBe(0);
    expect(() => identities.contextFor(request())).toThrow(
      expect.objectContaining({ code: 'closed' }),
    );
  });

  it('a bad pool option closes the auth it has just created', async () => {
    const source = watchedSource();
    const thrown = await caught(() =>
      createRequestIdentities<FakeRequest>(
        { baseUrl: BASE_URL, accessToken: source, maxIdentities: 0 },
        { name: '@wb/test' },
      ),
    );
    expect(thrown).toMatchObject({ code: 'invalid_options' });
    await vi.waitFor(() => expect(source.closed()).toBe(true));
  });

  it('every bad option shape is invalid_options, naming the adapter, its factory and request', () => {
    const auth = createWitboostAuth({ baseUrl: BASE_URL, accessToken: SERVICE_TOKEN });
    cleanups.push(() => auth.close());
    const rows: Array<[options: unknown, message: string]> = [
      [undefined, 'mount(options) needs an object: { auth } or { baseUrl, ... }'],
      [null, 'mount(options) needs an object'],
      [[auth], 'mount(options) needs an object'],
      [BASE_URL, 'mount(options) needs an object'],
      [{}, 'pass { auth } (a WitboostAuth) or the options of createWitboostAuth, baseUrl included'],
      [{ auth, identity: 'x' }, 'identity must be a function (event) => string | undefined'],
      [
        { auth, accessToken: SERVICE_TOKEN, mode: 'basic', identity: undefined },
        'pass either { auth } or the options of createWitboostAuth, not both (accessToken, mode given with auth)',
      ],
    ];
    for (const [options, message] of rows) {
      const thrown = (() => {
        try {
          createRequestIdentities(options as RequestIdentitiesOptions<FakeRequest>, {
            name: '@wb/auth-h3',
            factory: 'mount',
            requestName: 'event',
          });
        } catch (error) {
          return error;
        }
        return undefined;
      })();
      expect(isWitboostAuthError(thrown), message).toBe(true);
      expect(thrown).toMatchObject({ code: 'invalid_options' });
      expect((thrown as Error).message.startsWith(`[@wb/auth-core] @wb/auth-h3: ${message}`)).toBe(
        true,
      );
      expectNoSecret(thrown, [SERVICE_TOKEN]);
    }
  });

  it('names witboostAuth and req by default; values are left to core', () => {
    expect(() => createRequestIdentities(null as never, { name: '@wb/x' })).toThrow(
      '[@wb/auth-core] @wb/x: witboostAuth(options) needs an object',
    );
    expect(() =>
      createRequestIdentities({ baseUrl: BASE_URL, identity: 1 } as never, { name: '@wb/x' }),
    ).toThrow('[@wb/auth-core] @wb/x: identity must be a function (req) => string | undefined');
    expect(() => createRequestIdentities({ baseUrl: 'not a url' }, { name: '@wb/x' })).toThrow(
      expect.objectContaining({
        code: 'invalid_options',
        message: expect.stringMatching(/baseUrl/),
      }),
    );
  });
});
