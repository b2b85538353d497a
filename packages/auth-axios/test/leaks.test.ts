import { lookup as dnsLookup } from 'node:dns';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import type { Readable } from 'node:stream';
import { inspect } from 'node:util';
import { basicAuthorization, createWitboostAuth, type WitboostAuth } from '@wb/auth-core';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import axios, {
  type AxiosError,
  type AxiosInstance,
  type AxiosResponse,
  type CreateAxiosDefaults,
} from 'axios';
import axiosCopy from 'axios-copy';
import { afterEach, describe, expect, test } from 'vitest';
import { attachWitboostAuth, createWitboostAxios } from '../src/index.js';

// Every way a user prints what axios hands back must show no credential: the JWT, or in Basic
// mode the access token (raw, or base64-encoded in the header).
const CATALOG = '/api/catalog/entities';
const toClose: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const closable of toClose.splice(0).reverse()) await closable.close();
});

interface Setup {
  wb: WitboostMock;
  auth: WitboostAuth;
  /** The strings that must never be printable. */
  secrets(): Promise<string[]>;
}

async function setup(mode: 'bearer' | 'basic', origins: string[] = []): Promise<Setup> {
  const wb = await startWitboostMock({ port: 0, basicAuth: mode === 'basic' });
  const accessToken = wb.issueAccessToken();
  const auth = createWitboostAuth({ baseUrl: wb.url, accessToken, mode, origins });
  toClose.push(wb, auth);
  const basic = basicAuthorization(accessToken);
  const secrets = async () =>
    mode === 'basic'
      ? [accessToken, accessToken.slice(5), basic.slice(6)]
      : [accessToken, await auth.getToken()];
  return { wb, auth, secrets };
}

/** What a user might print: console.log / util.inspect (deep, hidden fields too) and JSON. */
function printed(value: unknown): string[] {
  const json = (v: unknown) => {
    try {
      return JSON.stringify((v as { toJSON?: () => unknown })?.toJSON?.() ?? v) ?? '';
    } catch {
      return ''; // circular: JSON.stringify throws, it prints nothing
    }
  };
  const text = (v: unknown) => (typeof v === 'object' && v !== null ? `${Object(v)}` : String(v));
  return [
    Object.getPrototypeOf(value) === null ? '' : text(value),
    inspect(value),
    inspect(value, { depth: 10 }),
    inspect(value, { depth: 10, showHidden: true }),
    json(value),
  ];
}

async function expectNothingPrintable(values: unknown[], env: Setup): Promise<void> {
  const secrets = await env.secrets();
  for (const value of values) {
    for (const text of printed(value)) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  }
}

async function rejection(promise: Promise<unknown>): Promise<AxiosError> {
  return promise.then(
    () => expect.fail('expected the call to reject'),
    (error: unknown) => error as AxiosError,
  );
}

async function drain(stream: unknown): Promise<void> {
  for await (const _ of stream as Readable) {
    // consume
  }
}

describe.each(['bearer', 'basic'] as const)(
  '%s mode: nothing printable holds a credential',
  (mode) => {
    test.each(['http', 'fetch'] as const)(
      '%s adapter: a response, a streamed response and their errors',
      async (adapter) => {
        const env = await setup(mode);
        const client = createWitboostAxios({ auth: env.auth, adapter });

        const plain = await client.get(CATALOG);
        const streamed = await client.get(CATALOG, { responseType: 'stream' });
        const notFound = await rejection(client.get('/api/no-such-endpoint'));
        const streamedError = await rejection(
          client.get('/api/no-such-endpoint', { responseType: 'stream' }),
        );

        expect(env.wb.lastRequests.at(-1)?.authScheme).toBe(mode === 'basic' ? 'Basic' : 'Bearer');
        expect([plain.status, streamed.status, notFound.response?.status]).toEqual([200, 200, 404]);
        expect(plain.request).toBeDefined(); // still there for whoever needs it
        await expectNothingPrintable(
          [plain, streamed, streamed.data, notFound, streamedError, streamedError.response],
          env,
        );
        await drain(streamed.data);
        await drain(streamedError.response?.data);
      },
    );

    test('a connection that never opens still holds the request it was to write', async () => {
      // A Unix socket path where there is none: the connect fails after the request was
      // queued on the socket, the same every run (no port that another test could take).
      const env = await setup(mode);
      const client = createWitboostAxios({ auth: env.auth, socketPath: '/nonexistent/wb.sock' });

      const error = await rejection(client.get(CATALOG));

      expect(error.code).toBe('ENOENT');
      expect(env.wb.stats.exchanges.total).toBe(mode === 'basic' ? 0 : 1);
      await expectNothingPrintable([error, error.request], env);
    });

    test('a network error (the connection is cut) after the header was built', async () => {
      // A server that cuts every connection, kept listening: a port closed for the test could
      // be taken by another test's server before the request (seen in CI).
      const cutter = createNetServer((socket) => socket.destroy());
      await new Promise<void>((resolve) => cutter.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(cutter.address() as AddressInfo).port}`;
      try {
        const env = await setup(mode, [url]);
        const client = createWitboostAxios({ auth: env.auth });

        const error = await rejection(client.get(`${url}/api/x`));

        expect(error.code).toBe('ECONNRESET');
        expect(error.response).toBeUndefined();
        await expectNothingPrintable([error, error.request], env);
      } finally {
        await new Promise((resolve) => cutter.close(resolve));
      }
    });
  },
);

describe('another copy of axios', () => {
  function copyClient(auth: WitboostAuth, adapter?: 'fetch'): AxiosInstance {
    const instance = axiosCopy.create({ baseURL: auth.baseUrl, adapter }) as AxiosInstance;
    attachWitboostAuth(instance, auth);
    return instance;
  }

  test('is a different module than ours', () => {
    expect(axiosCopy).not.toBe(axios);
    expect(axiosCopy.AxiosHeaders).not.toBe(axios.AxiosHeaders);
  });

  test.each([undefined, 'fetch'] as const)(
    'adapter %s: authenticates, and leaves no credential in config, response or error',
    async (adapter) => {
      const env = await setup('bearer');
      const client = copyClient(env.auth, adapter);

      const response: AxiosResponse = await client.get(CATALOG);
      const streamed = await client.get(CATALOG, { responseType: 'stream' });
      const error = await rejection(client.get('/api/no-such-endpoint'));

      expect(response.status).toBe(200);
      expect(env.wb.lastRequests.at(-2)?.authScheme).toBe('Bearer');
      expect(response.config.headers.Authorization).toBeUndefined();
      expect(response.config.headers).toBeInstanceOf(axiosCopy.AxiosHeaders);
      await expectNothingPrintable(
        [response, response.config, response.config.headers, streamed, error],
        env,
      );
      await drain(streamed.data);
    },
  );

  test('a 401 from Witboost is replayed once with a fresh JWT', async () => {
    const env = await setup('bearer');
    const client = copyClient(env.auth);
    await client.get(CATALOG);
    env.wb.faults.rejectJwt(await env.auth.getToken());

    const response = await client.get(CATALOG);

    expect(response.status).toBe(200);
    expect(env.wb.stats.exchanges.total).toBe(2);
  });
});

describe('redirects', () => {
  // Names resolved by the client itself, so one loopback server can be two hosts.
  const lookup: CreateAxiosDefaults['lookup'] = (hostname, options, callback) =>
    dnsLookup(hostname.endsWith('.test') ? '127.0.0.1' : hostname, options, callback as never);

  test('a redirect to a subdomain of Witboost (which follow-redirects would keep it for) carries no credential', async () => {
    const wb = await startWitboostMock({ port: 0 });
    const port = new URL(wb.url).port;
    // The exchange goes to the emulator's address; wb.test is a second name for it.
    const auth = createWitboostAuth({
      baseUrl: wb.url,
      accessToken: wb.issueAccessToken(),
      origins: [`http://wb.test:${port}`],
      allowInsecureHttp: true,
    });
    toClose.push(wb, auth);
    const client = createWitboostAxios({ auth, baseURL: `http://wb.test:${port}`, lookup });

    const error = await rejection(
      client.get('/__test/redirect', {
        params: { to: `http://evil.wb.test:${port}${CATALOG}` },
      }),
    );

    expect(error.response?.status).toBe(401);
    expect(wb.lastRequests.slice(-2).map((r) => r.authScheme)).toEqual(['Bearer', null]);
    expect(wb.stats.exchanges.total).toBe(1); // a 401 from elsewhere is not replayed
  });
});
