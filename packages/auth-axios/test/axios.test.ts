import { Readable } from 'node:stream';
import { inspect } from 'node:util';
import { createWitboostAuth, isWitboostAuthError, type WitboostAuth } from '@wb/auth-core';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import axios, { type AxiosAdapter, AxiosError } from 'axios';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { attachWitboostAuth, createWitboostAxios, ERR_WITBOOST_AUTH } from '../src/index.js';
import { type RecordingServer, startRecordingServer } from './servers.js';

const CG_SCOPE = 'service:computational-governance';
const CATALOG = '/api/catalog/entities';
const VALIDATE = '/api/computational-governance/validate';

let wb: WitboostMock;
let accessToken: string;
const toClose: Array<{ close(): Promise<void> }> = [];

beforeEach(async () => {
  wb = await startWitboostMock({ port: 0 });
  accessToken = wb.issueAccessToken();
  toClose.push(wb);
});
afterEach(async () => {
  for (const closable of toClose.splice(0).reverse()) await closable.close();
});

function newAuth(options: Partial<Parameters<typeof createWitboostAuth>[0]> = {}): WitboostAuth {
  const auth = createWitboostAuth({ baseUrl: wb.url, accessToken, ...options });
  toClose.push(auth);
  return auth;
}

async function server(status = 200): Promise<RecordingServer> {
  const started = await startRecordingServer(status);
  toClose.push(started);
  return started;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected the call to reject'),
    (error: unknown) => error,
  );
}

describe('authorisation', () => {
  test('200 concurrent calls on a cold cache cause exactly one exchange', async () => {
    const client = createWitboostAxios({ auth: newAuth() });

    const responses = await Promise.all(
      Array.from({ length: 200 }, () => client.get(CATALOG, { params: { kind: 'DataProduct' } })),
    );

    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(wb.stats.exchanges.total).toBe(1);
    expect(wb.stats.protectedRequests.ok).toBe(200);
  });

  test('a Computational Governance call gets a JWT with the CG scope', async () => {
    const client = createWitboostAxios({ auth: newAuth() });

    await client.get(CATALOG);
    const { data } = await client.post(VALIDATE, { policy: 'require-owner', resource: {} });

    expect(data).toMatchObject({ satisfiesPolicy: false });
    expect(wb.stats.exchanges.byScope).toEqual({ '(none)': 1, [CG_SCOPE]: 1 });
  });

  test('an explicit Authorization of the caller wins and causes no exchange', async () => {
    const client = createWitboostAxios({ auth: newAuth() });

    const error = await rejection(
      client.get(CATALOG, { headers: { Authorization: 'Basic d2l0Ym9vc3Q6bm9wZQ==' } }),
    );

    expect((error as AxiosError).response?.status).toBe(401);
    expect(wb.lastRequests.at(-1)?.authScheme).toBe('Basic');
    expect(wb.stats.exchanges.total).toBe(0);
  });

  test('an absolute URL to another origin on the Witboost instance goes out untouched', async () => {
    const foreign = await server();
    const client = createWitboostAxios({ auth: newAuth() });

    await client.get(`${foreign.url}/api/catalog/entities`);

    expect(foreign.received).toHaveLength(1);
    expect(foreign.received[0]?.headers.authorization).toBeUndefined();
    expect(wb.stats.exchanges.total).toBe(0);
  });

  test('works without baseURL (e.g. the NestJS HttpService instance) for absolute URLs', async () => {
    const instance = axios.create();
    attachWitboostAuth(instance, newAuth());

    const { status } = await instance.get(`${wb.url}${CATALOG}`);

    expect(status).toBe(200);
    expect(wb.lastRequests.at(-1)?.authScheme).toBe('Bearer');
  });

  test('detach removes both interceptors', async () => {
    const instance = axios.create({ baseURL: wb.url });
    const detach = attachWitboostAuth(instance, newAuth());
    await instance.get(CATALOG);

    detach();
    detach();
    const error = await rejection(instance.get(CATALOG));

    expect((error as AxiosError).response?.status).toBe(401);
    expect(wb.lastRequests.at(-1)?.authScheme).toBeNull();
    expect(wb.stats.exchanges.total).toBe(1);
  });

  test("the user's own interceptors keep running, also on a replay", async () => {
    const instance = axios.create({ baseURL: wb.url });
    const seen: string[] = [];
    instance.interceptors.request.use((config) => {
      seen.push(`request ${config.url}`);
      config.headers.set('X-Trace', 'abc');
      return config;
    });
    instance.interceptors.response.use((response) => {
      seen.push(`response ${response.status}`);
      return response;
    });
    const auth = newAuth();
    attachWitboostAuth(instance, auth);
    await instance.get(CATALOG);
    wb.faults.rejectJwt(await auth.getToken());

    const response = await instance.get(CATALOG);

    expect(response.status).toBe(200);
    expect(response.config.headers.get('X-Trace')).toBe('abc');
    expect(seen).toEqual([
      `request ${CATALOG}`,
      'response 200',
      `request ${CATALOG}`,
      `request ${CATALOG}`,
      'response 200',
    ]);
  });
});

describe('401 from Witboost', () => {
  test('invalidates the JWT and replays once with a fresh one', async () => {
    const auth = newAuth();
    const client = createWitboostAxios({ auth });
    await client.get(CATALOG);
    wb.faults.rejectJwt(await auth.getToken());

    const response = await client.get(CATALOG);

    expect(response.status).toBe(200);
    expect(wb.stats.exchanges.total).toBe(2);
    expect(wb.stats.protectedRequests.byStatus).toEqual({ '200': 2, '401': 1 });
  });

  test('a burst of 401s causes one new exchange', async () => {
    const auth = newAuth();
    const client = createWitboostAxios({ auth });
    await client.get(CATALOG);
    wb.faults.rejectJwt(await auth.getToken());

    const responses = await Promise.all(Array.from({ length: 30 }, () => client.get(CATALOG)));

    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(wb.stats.exchanges.total).toBe(2);
    expect(wb.stats.protectedRequests.byStatus).toEqual({ '200': 31, '401': 30 });
  });

  test('is replayed never more than once, and the error holds no credential', async () => {
    const alwaysDenies = await server(401);
    const auth = newAuth({ origins: [alwaysDenies.url] });
    const client = createWitboostAxios({ auth, baseURL: alwaysDenies.url });

    const error = await rejection(client.post('/api/things', { a: 1 }));

    expect(alwaysDenies.received).toHaveLength(2);
    expect(alwaysDenies.received.map((r) => r.headers.authorization?.split(' ')[0])).toEqual([
      'Bearer',
      'Bearer',
    ]);
    expect(wb.stats.exchanges.total).toBe(2);
    expect((error as AxiosError).response?.status).toBe(401);
    const jwts = alwaysDenies.received.map((r) => r.headers.authorization?.slice(7) ?? '');
    const serialised = JSON.stringify((error as AxiosError).toJSON());
    for (const jwt of jwts) expect(serialised).not.toContain(jwt);
  });

  test('a stream body is not replayed', async () => {
    const alwaysDenies = await server(401);
    const auth = newAuth({ origins: [alwaysDenies.url] });
    const client = createWitboostAxios({ auth, baseURL: alwaysDenies.url });

    const error = await rejection(
      client.post('/upload', Readable.from(['a', 'b']), {
        headers: { 'Content-Type': 'application/octet-stream' },
      }),
    );

    expect((error as AxiosError).response?.status).toBe(401);
    expect(alwaysDenies.received).toHaveLength(1);
    expect(wb.stats.exchanges.total).toBe(1);
  });

  test('a 401 from another origin reached by a redirect does not invalidate anything', async () => {
    const foreign = await server(401);
    const client = createWitboostAxios({ auth: newAuth() });

    await rejection(client.get('/__test/redirect', { params: { to: `${foreign.url}/x` } }));

    expect(foreign.received).toHaveLength(1);
    expect(wb.stats.exchanges.total).toBe(1);
  });

  test('a 401 from another origin does not invalidate anything', async () => {
    const foreign = await server(401);
    const client = createWitboostAxios({ auth: newAuth() });
    await client.get(CATALOG);

    await rejection(client.get(`${foreign.url}/x`));

    expect(foreign.received).toHaveLength(1);
    expect(wb.stats.exchanges.total).toBe(1);
  });
});

describe('401 with the fetch adapter', () => {
  test('a 401 from another origin reached by a redirect does not invalidate anything', async () => {
    const foreign = await server(401);
    const client = createWitboostAxios({ auth: newAuth(), adapter: 'fetch' });
    await client.get(CATALOG);

    const error = await rejection(
      client.get('/__test/redirect', { params: { to: `${foreign.url}/x`, status: 307 } }),
    );

    expect((error as AxiosError).response?.status).toBe(401);
    expect(foreign.received).toHaveLength(1);
    expect(foreign.received[0]?.headers.authorization).toBeUndefined();
    expect(wb.stats.exchanges.total).toBe(1);
  });

  test("a 401 from Witboost is still replayed, through the caller's own env.fetch", async () => {
    const auth = newAuth();
    const fetched: string[] = [];
    const client = createWitboostAxios({
      auth,
      adapter: 'fetch',
      env: {
        fetch: (input: string | URL | Request, init?: RequestInit) => {
          fetched.push(input instanceof Request ? input.url : String(input));
          return fetch(input, init);
        },
      },
    });
    await client.get(CATALOG);
    wb.faults.rejectJwt(await auth.getToken());

    const response = await client.get(CATALOG);

    expect(response.status).toBe(200);
    expect(wb.stats.exchanges.total).toBe(2);
    expect(fetched).toHaveLength(3);
  });

  test('an adapter that does not tell where the answer came from: replayed only without redirects', async () => {
    const auth = newAuth();
    let calls = 0;
    const opaque: AxiosAdapter = async (config) => {
      calls += 1;
      throw new AxiosError('denied', 'ERR_BAD_REQUEST', config, undefined, {
        status: 401,
        statusText: 'Unauthorized',
        headers: {},
        config,
        data: null,
      });
    };
    const client = createWitboostAxios({ auth, adapter: opaque });

    await rejection(client.get(CATALOG));
    const afterRedirectable = calls;
    await rejection(client.get(CATALOG, { maxRedirects: 0 }));

    expect(afterRedirectable).toBe(1);
    expect(calls).toBe(3);
  });
});

describe('redirects', () => {
  test('a redirect to another origin (same host, other port) carries no credential', async () => {
    const elsewhere = await server();
    const client = createWitboostAxios({ auth: newAuth() });
    const userHookCalls: string[] = [];

    const response = await client.get('/__test/redirect', {
      params: { to: `${elsewhere.url}/landing` },
      beforeRedirect: (options) => userHookCalls.push(String(options.href)),
    });

    expect(response.status).toBe(200);
    expect(elsewhere.received).toHaveLength(1);
    expect(elsewhere.received[0]?.headers.authorization).toBeUndefined();
    expect(wb.lastRequests.at(-1)?.authScheme).toBe('Bearer');
    expect(userHookCalls).toEqual([`${elsewhere.url}/landing`]);
  });

  test('a redirect with the fetch adapter carries no credential either', async () => {
    const elsewhere = await server();
    const client = createWitboostAxios({ auth: newAuth(), adapter: 'fetch' });

    await client.get('/__test/redirect', { params: { to: `${elsewhere.url}/landing` } });

    expect(elsewhere.received).toHaveLength(1);
    expect(elsewhere.received[0]?.headers.authorization).toBeUndefined();
  });

  test('a redirect within the Witboost origin keeps the credential', async () => {
    const client = createWitboostAxios({ auth: newAuth() });

    const response = await client.get('/__test/redirect', {
      params: { to: `${wb.url}${CATALOG}` },
    });

    expect(response.status).toBe(200);
    expect(wb.lastRequests.at(-1)).toMatchObject({ path: CATALOG, authScheme: 'Bearer' });
  });
});

describe('errors', () => {
  test('a revoked access token rejects with ERR_WITBOOST_AUTH and the core error as cause', async () => {
    wb.revoke(accessToken);
    const client = createWitboostAxios({ auth: newAuth() });

    const error = await rejection(client.get(CATALOG));

    expect(error).toBeInstanceOf(AxiosError);
    const axiosError = error as AxiosError;
    expect(axiosError.code).toBe(ERR_WITBOOST_AUTH);
    expect(axiosError.config?.url).toBe(CATALOG);
    expect(isWitboostAuthError(axiosError.cause)).toBe(true);
    expect(axiosError.cause).toMatchObject({ code: 'access_token_rejected', status: 401 });
    expect(wb.stats.protectedRequests.total).toBe(0);
    for (const text of [
      String(error),
      axiosError.message,
      JSON.stringify(axiosError.toJSON()),
      String(axiosError.cause),
    ]) {
      expect(text).not.toContain(accessToken);
    }
  });

  test('aborting while waiting for a token rejects like any aborted axios request', async () => {
    wb.faults.setExchangeLatency(2_000);
    const client = createWitboostAxios({ auth: newAuth() });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();

    const error = await rejection(client.get(CATALOG, { signal: controller.signal }));

    expect(axios.isCancel(error)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(wb.stats.protectedRequests.total).toBe(0);
  });

  test.each([
    ['createWitboostAxios({})', () => createWitboostAxios({} as never)],
    ['createWitboostAxios(undefined)', () => createWitboostAxios(undefined as never)],
    ['attachWitboostAuth({}, auth)', () => attachWitboostAuth({} as never, newAuth())],
    ['attachWitboostAuth(null, auth)', () => attachWitboostAuth(null as never, newAuth())],
    ['attachWitboostAuth(instance, {})', () => attachWitboostAuth(axios.create(), {} as never)],
  ])('%s throws invalid_options', (_label, call) => {
    let thrown: unknown;
    try {
      call();
    } catch (error) {
      thrown = error;
    }
    expect(isWitboostAuthError(thrown)).toBe(true);
    expect(thrown).toMatchObject({ code: 'invalid_options' });
    expect(String(thrown)).toMatch(/@wb\/auth-axios (createWitboostAxios|attachWitboostAuth): /);
  });

  test('an error answer from Witboost prints no JWT when logged', async () => {
    const auth = newAuth();
    const client = createWitboostAxios({ auth });
    const error = await rejection(client.get('/api/no-such-endpoint'));
    const jwt = await auth.getToken();
    const axiosError = error as AxiosError;
    expect(axiosError.response?.status).toBe(404);
    expect(wb.lastRequests.at(-1)?.authScheme).toBe('Bearer');
    expect(axiosError.request).toBeDefined(); // still there for whoever needs it
    expect(axiosError.config?.headers.Authorization).toBeUndefined();
    for (const text of [
      inspect(axiosError, { depth: 8 }),
      inspect(axiosError.response, { depth: 8 }),
      JSON.stringify(axiosError.toJSON()),
    ]) {
      expect(text).not.toContain(jwt);
      expect(text).not.toContain(accessToken);
    }
  });
});

describe('checked again when the request is dispatched', () => {
  test('an interceptor added before attaching that moves the request elsewhere sends no credential', async () => {
    const foreign = await server();
    const instance = axios.create({ baseURL: wb.url });
    // Added first, so axios runs it after ours.
    instance.interceptors.request.use((config) => {
      if (config.url?.startsWith('/ext/')) config.baseURL = foreign.url;
      return config;
    });
    instance.interceptors.request.use((config) =>
      config.url === '/spread' ? { ...config, url: `${foreign.url}/spread` } : config,
    );
    attachWitboostAuth(instance, newAuth());

    await instance.get('/ext/thing');
    await instance.get('/spread');
    const { status } = await instance.get(CATALOG);

    expect(foreign.received.map((r) => [r.path, r.headers.authorization])).toEqual([
      ['/ext/thing', undefined],
      ['/spread', undefined],
    ]);
    expect(status).toBe(200);
    expect(wb.lastRequests.at(-1)?.authScheme).toBe('Bearer');
  });

  test('no request interceptor sees our JWT; one that moves the request onto Witboost gets the right scope', async () => {
    const foreign = await server();
    const instance = axios.create({ baseURL: foreign.url });
    const seen: string[] = [];
    // Added first, so axios runs it after ours; synchronous, like ours.
    instance.interceptors.request.use(
      (config) => {
        seen.push(String(config.headers.get('Authorization') ?? 'none'));
        config.baseURL = wb.url;
        return config;
      },
      undefined,
      { synchronous: true },
    );
    attachWitboostAuth(instance, newAuth());

    const { data } = await instance.post(VALIDATE, { policy: 'require-owner', resource: {} });

    expect(data).toMatchObject({ satisfiesPolicy: false });
    expect(seen).toEqual(['none']);
    expect(foreign.received).toEqual([]);
    expect(wb.stats.exchanges.byScope).toEqual({ [CG_SCOPE]: 1 });
  });

  test('allowAbsoluteUrls: false: the credential follows where axios really sends the request', async () => {
    const foreign = await server();
    // An absolute URL is joined to baseURL: on Witboost, to Witboost; on the foreign base, away.
    const onWitboost = createWitboostAxios({ auth: newAuth(), allowAbsoluteUrls: false });
    const onForeign = createWitboostAxios({
      auth: newAuth(),
      baseURL: foreign.url,
      allowAbsoluteUrls: false,
    });

    const error = await rejection(onWitboost.get(`${foreign.url}${CATALOG}`));
    await onForeign.get(`${wb.url}${CATALOG}`);

    expect((error as AxiosError).response?.status).toBe(404);
    expect(wb.lastRequests.at(-1)?.authScheme).toBe('Bearer');
    expect(foreign.received.map((r) => [r.path, r.headers.authorization])).toEqual([
      [`/${wb.url}${CATALOG}`, undefined],
    ]);
  });

  test('allowAbsoluteUrls falsy but not false (0): never a credential to the foreign base', async () => {
    const foreign = await server();
    // axios 1.12 joins on `== false` (so 0 sends this to the foreign base), later releases only
    // on `=== false` (so it goes to Witboost): either way the foreign server gets no credential.
    const client = createWitboostAxios({
      auth: newAuth(),
      baseURL: foreign.url,
      allowAbsoluteUrls: 0 as unknown as boolean,
    });

    await client.get(`${wb.url}${CATALOG}`).catch((error: unknown) => error);

    expect(foreign.received.length + wb.lastRequests.length).toBeGreaterThan(0);
    expect(foreign.received.map((r) => r.headers.authorization)).toEqual(
      foreign.received.map(() => undefined),
    );
  });

  test('a response interceptor added before attaching never sees our JWT in a failed request', async () => {
    const instance = axios.create({ baseURL: wb.url });
    const logged: string[] = [];
    instance.interceptors.response.use(undefined, (error: unknown) => {
      logged.push(inspect(error, { depth: 6 }), JSON.stringify(error));
      throw error;
    });
    const auth = newAuth();
    attachWitboostAuth(instance, auth);

    await rejection(instance.get('/api/no-such-endpoint'));

    const jwt = await auth.getToken();
    expect(logged).toHaveLength(2);
    for (const text of logged) expect(text).not.toContain(jwt);
  });

  test('a successful response holds no JWT: only the copy of the headers the adapter sent had it', async () => {
    const auth = newAuth();
    const client = createWitboostAxios({ auth });

    const response = await client.get(CATALOG);

    const jwt = await auth.getToken();
    expect(wb.lastRequests.at(-1)?.authScheme).toBe('Bearer');
    expect(response.config.headers.Authorization).toBeUndefined();
    expect(response.request).toBeDefined(); // the raw request stays readable
    for (const text of [
      inspect(response, { depth: 4 }),
      inspect(response.config),
      JSON.stringify(response.config),
      JSON.stringify(response.config.headers),
    ]) {
      expect(text).not.toContain(jwt);
    }
  });
});
