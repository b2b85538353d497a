import { createHook } from 'node:async_hooks';
import {
  createWitboostAuth,
  isWitboostAuthError,
  type RequestIdentitiesOptions,
  type WitboostAuth,
} from '@wb/auth-core';
import type { WitboostMock } from '@wb/witboost-mock';
import { describe, expect, test, vi } from 'vitest';
import { countingAuth } from './counting-auth.js';
import { useWitboostMock } from './fixture.js';
import type { ContractMiddleware, ContractRoute, MiddlewareHarness } from './harness.js';
import { foreignServer, type Listening, listen } from './http.js';

const CG = 'service:computational-governance';
/** The request header the contract's callers put their access token in. */
export const CALLER_HEADER = 'x-witboost-access-token';
// Fast failure handling, so "Witboost is down" answers within milliseconds.
const refresh = { initialBackoffMs: 1, maxBackoffMs: 5, exchangeTimeoutMs: 2_000 };

function exchangesOf(wb: WitboostMock, accessToken: string): number {
  return wb.stats.exchanges.byAccessToken[`wbat-…${accessToken.slice(-4)}`] ?? 0;
}

function subjectsOf(wb: WitboostMock): Array<string | null> {
  return wb.lastRequests.filter((r) => r.path.startsWith('/api/catalog')).map((r) => r.subject);
}

/** The example service: catalog, CG validation, a route that never calls Witboost. */
function exampleRoutes(foreignUrl: string): ContractRoute[] {
  return [
    {
      method: 'GET',
      path: '/data-products',
      handler: async (witboost) => {
        const answer = await witboost.fetch('/api/catalog/entities?kind=DataProduct');
        return { status: answer.status, body: await answer.json() };
      },
    },
    {
      method: 'POST',
      path: '/policies/validate',
      handler: async (witboost, req) => {
        const answer = await witboost.fetch('/api/computational-governance/validate', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(req.body),
        });
        return { status: answer.status, body: await answer.json() };
      },
    },
    {
      method: 'GET',
      path: '/both',
      handler: async (witboost) => {
        const [catalog, cg] = await Promise.all([
          witboost.fetch('/api/catalog/entities'),
          witboost.getToken({ scope: CG }),
        ]);
        return { body: { catalog: catalog.status, cg: cg.length > 0 } };
      },
    },
    {
      method: 'GET',
      path: '/foreign',
      handler: async (witboost) => ({
        body: await (await witboost.fetch(`${foreignUrl}/hook`)).json(),
      }),
    },
    {
      method: 'POST',
      path: '/echo',
      handler: async (witboost, req) => ({
        body: { headers: req.headers, body: req.body, witboost: typeof witboost.fetch },
      }),
    },
    { method: 'GET', path: '/quiet', handler: async () => ({ body: { ok: true } }) },
  ];
}

/**
 * Declares the suite every `witboostAuth()` middleware must pass, over real HTTP against the
 * Witboost emulator: service and on-behalf-of identities, the identity pool's bounds, error
 * answers without secrets, credentials kept to Witboost, the request left alone, `close()`, and
 * option errors naming the adapter. Call it once per framework major.
 *
 * @param harness - how to build and serve this adapter under this framework major
 * @example
 * ```ts
 * import { describeMiddlewareContract } from '@wb/middleware-contract';
 * for (const { major, express } of expressMajors) describeMiddlewareContract(harnessFor(major, express));
 * ```
 */
export function describeMiddlewareContract<Req, M extends ContractMiddleware>(
  harness: MiddlewareHarness<Req, M>,
): void {
  const identity = harness.identityFromHeader(CALLER_HEADER);

  describe(`${harness.major}: middleware contract`, () => {
    const mock = useWitboostMock();

    async function serve(witboost: M, routes: readonly ContractRoute[]): Promise<Listening> {
      const server = await harness.serve(witboost, routes);
      mock.defer(() => server.close());
      return server;
    }

    /** The example service, recording the identity each request was given. */
    async function start(
      options: Partial<RequestIdentitiesOptions<Req>> = {},
      foreignUrl = 'http://127.0.0.1:9/unused',
    ): Promise<Listening & { witboost: M; auths: WitboostAuth[] }> {
      const witboost = harness.witboostAuth({
        baseUrl: mock.wb.url,
        accessToken: mock.serviceToken,
        refresh,
        identity,
        ...options,
      } as RequestIdentitiesOptions<Req>);
      mock.defer(() => witboost.close());
      const auths: WitboostAuth[] = [];
      const routes = exampleRoutes(foreignUrl).map(
        (route): ContractRoute => ({
          ...route,
          handler: (context, req) => {
            auths.push(context.auth);
            return route.handler(context, req);
          },
        }),
      );
      const server = await serve(witboost, routes);
      return { ...server, witboost, auths };
    }

    test(`nothing is exchanged until a handler uses ${harness.contextName}`, async () => {
      const server = await start();
      const quiet = await fetch(`${server.url}/quiet`, { headers: { [CALLER_HEADER]: 'wbat-x' } });
      expect(quiet.status).toBe(200);
      expect(mock.wb.stats.exchanges.total).toBe(0);
      expect(server.witboost.identities).toBe(1);
    });

    test('on behalf of callers: one exchange per caller, cached across requests', async () => {
      const alice = mock.wb.issueAccessToken({ subject: 'user:alice' });
      const bob = mock.wb.issueAccessToken({ subject: 'user:bob' });
      const server = await start();
      for (const token of [alice, bob, alice, bob, alice]) {
        const res = await fetch(`${server.url}/data-products`, {
          headers: { [CALLER_HEADER]: token },
        });
        expect(res.status).toBe(200);
      }
      expect(exchangesOf(mock.wb, alice)).toBe(1);
      expect(exchangesOf(mock.wb, bob)).toBe(1);
      expect(exchangesOf(mock.wb, mock.serviceToken)).toBe(0);
      expect(subjectsOf(mock.wb)).toEqual([
        'user:alice',
        'user:bob',
        'user:alice',
        'user:bob',
        'user:alice',
      ]);
      expect(server.witboost.identities).toBe(2);
    });

    test('beyond maxIdentities the least recently used caller is evicted and closed', async () => {
      const [a, b, c] = ['user:a', 'user:b', 'user:c'].map((subject) =>
        mock.wb.issueAccessToken({ subject }),
      );
      const server = await start({ maxIdentities: 2 });
      for (const token of [a, b, c]) {
        await fetch(`${server.url}/data-products`, {
          headers: { [CALLER_HEADER]: token as string },
        });
      }
      expect(server.witboost.identities).toBe(2);
      const [authA, authB, authC] = server.auths;
      await expect(authA?.getToken()).rejects.toMatchObject({ code: 'closed' });
      await expect(authC?.getToken()).resolves.toMatch(/^eyJ/);
      // b was used before c, so a's return evicts b.
      const again = await fetch(`${server.url}/data-products`, {
        headers: { [CALLER_HEADER]: a as string },
      });
      expect(again.status).toBe(200);
      expect(exchangesOf(mock.wb, a as string)).toBe(2);
      await expect(authB?.getToken()).rejects.toMatchObject({ code: 'closed' });
    });

    test('a caller idle for longer than identityIdleTimeoutMs is closed', async () => {
      // Only the clock is fake (HTTP needs real timers): idleness is measured with Date.now().
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        const alice = mock.wb.issueAccessToken({ subject: 'user:alice' });
        const server = await start({ identityIdleTimeoutMs: 60_000 });
        const headers = { [CALLER_HEADER]: alice };
        await fetch(`${server.url}/data-products`, { headers });
        vi.setSystemTime(Date.now() + 59_000);
        await fetch(`${server.url}/data-products`, { headers });
        expect(exchangesOf(mock.wb, alice)).toBe(1);
        vi.setSystemTime(Date.now() + 60_000);
        await fetch(`${server.url}/quiet`);
        expect(server.witboost.identities).toBe(0);
        await expect(server.auths[0]?.getToken()).rejects.toMatchObject({ code: 'closed' });
        await fetch(`${server.url}/data-products`, { headers });
        expect(exchangesOf(mock.wb, alice)).toBe(2);
      } finally {
        vi.useRealTimers();
      }
    });

    test('the CG API gets a JWT with the computational-governance scope', async () => {
      const server = await start();
      const res = await fetch(`${server.url}/policies/validate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ policy: 'require-owner', resource: { owner: 'team-a' } }),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ policy: 'require-owner', satisfiesPolicy: true });
      expect(mock.wb.stats.exchanges.byScope).toEqual({ [CG]: 1 });
    });

    test('50 concurrent requests of one caller: one exchange per scope', async () => {
      const alice = mock.wb.issueAccessToken({ subject: 'user:alice' });
      mock.wb.faults.setExchangeLatency(50);
      const server = await start();
      const answers = await Promise.all(
        Array.from({ length: 50 }, () =>
          fetch(`${server.url}/both`, { headers: { [CALLER_HEADER]: alice } }),
        ),
      );
      expect(answers.map((r) => r.status)).toEqual(Array(50).fill(200));
      expect(mock.wb.stats.exchanges.byScope).toEqual({ '(none)': 1, [CG]: 1 });
      expect(exchangesOf(mock.wb, alice)).toBe(2);
    });

    test('a revoked caller token answers 401 with a JSON code and no secret', async () => {
      const alice = mock.wb.issueAccessToken({ subject: 'user:alice' });
      mock.wb.revoke(alice);
      const server = await start();
      const res = await fetch(`${server.url}/data-products`, {
        headers: { [CALLER_HEADER]: alice },
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject({ error: { code: 'access_token_rejected' } });
      expect(text).not.toContain(alice);
      expect(text).not.toMatch(/wbat-|eyJ/);
      // The service identity is unaffected.
      expect((await fetch(`${server.url}/data-products`)).status).toBe(200);
    });

    test('Witboost failing answers 502, Witboost unreachable answers 503', async () => {
      mock.wb.faults.failNextExchanges(20, { status: 503 });
      const server = await start();
      const failing = await fetch(`${server.url}/data-products`);
      expect(failing.status).toBe(502);
      const text = await failing.text();
      expect(JSON.parse(text)).toMatchObject({ error: { code: 'server_error' } });
      expect(text).not.toMatch(/wbat-|eyJ/);

      const closed = await listen(() => undefined);
      await closed.close();
      const down = await start({ baseUrl: closed.url } as Partial<RequestIdentitiesOptions<Req>>);
      const unreachable = await fetch(`${down.url}/data-products`);
      expect(unreachable.status).toBe(503);
      expect(await unreachable.json()).toMatchObject({ error: { code: 'network_error' } });
    });

    test('a blank or 10k-character caller token is a 401 before any exchange', async () => {
      const server = await start();
      for (const token of [' ', 'wbat-'.padEnd(10_000, 'x')]) {
        const res = await fetch(`${server.url}/data-products`, {
          headers: { [CALLER_HEADER]: token },
        });
        expect(res.status).toBe(401);
        const text = await res.text();
        expect(JSON.parse(text)).toMatchObject({ error: { code: 'invalid_access_token' } });
        expect(text).not.toContain('xxxx');
      }
      expect(mock.wb.stats.exchanges.total).toBe(0);
      expect(server.witboost.identities).toBe(0);
    });

    test('no credential reaches a foreign origin, for the service or a caller', async () => {
      const foreign = await foreignServer();
      mock.defer(() => foreign.close());
      const alice = mock.wb.issueAccessToken({ subject: 'user:alice' });
      const server = await start({}, foreign.url);
      expect(await (await fetch(`${server.url}/foreign`)).json()).toEqual({ foreign: true });
      await fetch(`${server.url}/foreign`, { headers: { [CALLER_HEADER]: alice } });
      expect(foreign.seen).toHaveLength(2);
      for (const headers of foreign.seen) {
        expect(headers.authorization).toBeUndefined();
        expect(JSON.stringify(headers)).not.toMatch(/wbat-|eyJ|Bearer|Basic/);
      }
      expect(mock.wb.stats.exchanges.total).toBe(0);
    });

    test('the inbound request is neither consumed nor altered', async () => {
      const server = await start();
      const res = await fetch(`${server.url}/echo`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [CALLER_HEADER]: 'wbat-caller',
          'x-other': '1',
        },
        body: JSON.stringify({ hello: 'world' }),
      });
      const echoed = (await res.json()) as { headers: Record<string, string>; body: unknown };
      expect(echoed.body).toEqual({ hello: 'world' });
      expect(echoed.headers[CALLER_HEADER]).toBe('wbat-caller');
      expect(echoed.headers['x-other']).toBe('1');
      expect(echoed.headers.authorization).toBeUndefined();
      expect(echoed).toMatchObject({ witboost: 'function' });
    });

    test('close() leaves no timer behind and is idempotent', async () => {
      const live = new Map<number, string>();
      const hook = createHook({
        init(id, type) {
          if (type === 'Timeout') live.set(id, new Error().stack ?? '');
        },
        destroy(id) {
          live.delete(id);
        },
      });
      hook.enable();
      try {
        const alice = mock.wb.issueAccessToken({ subject: 'user:alice' });
        const server = await start({
          keepWarm: true,
          identityIdleTimeoutMs: 60_000,
        } as Partial<RequestIdentitiesOptions<Req>>);
        await fetch(`${server.url}/both`);
        await fetch(`${server.url}/both`, { headers: { [CALLER_HEADER]: alice } });
        const ours = () => [...live.values()].filter((stack) => stack.includes('auth-core'));
        expect(ours().length).toBeGreaterThan(0);
        await Promise.all([server.witboost.close(), server.witboost.close()]);
        await new Promise((resolve) => setImmediate(resolve));
        await new Promise((resolve) => setImmediate(resolve));
        expect(ours()).toEqual([]);
        expect((await fetch(`${server.url}/data-products`)).status).toBe(503);
      } finally {
        hook.disable();
      }
    });

    test('over HTTP, distinct callers keep the pool within maxIdentities', async () => {
      const { auth: counting, open } = countingAuth(mock.wb.url, mock.serviceToken);
      mock.defer(() => counting.close());
      const witboost = harness.witboostAuth({ auth: counting, maxIdentities: 5, identity });
      mock.defer(() => witboost.close());
      const server = await serve(witboost, [
        {
          method: 'GET',
          path: '/',
          handler: async () => ({ body: { identities: witboost.identities } }),
        },
      ]);
      for (let i = 0; i < 20; i++) {
        const res = await fetch(server.url, { headers: { [CALLER_HEADER]: `wbat-http-${i}` } });
        expect(await res.json()).toEqual({ identities: Math.min(i + 1, 5) });
      }
      expect(open()).toBe(5);
      await witboost.close();
      expect(open()).toBe(0);
      expect(mock.wb.stats.exchanges.total).toBe(0);
    });

    test('every bad option throws WitboostAuthError invalid_options, naming the package', () => {
      const auth = createWitboostAuth({ baseUrl: mock.wb.url, accessToken: mock.serviceToken });
      mock.defer(() => auth.close());
      const ours = (detail: string) =>
        new RegExp(`^\\[@wb/auth-core\\] ${harness.packageName}: ${detail}`);
      const rows: Array<[options: unknown, message: RegExp]> = [
        [undefined, ours('witboostAuth\\(options\\) needs an object')],
        [null, ours('witboostAuth\\(options\\) needs an object')],
        [mock.wb.url, ours('witboostAuth\\(options\\) needs an object')],
        [[auth], ours('witboostAuth\\(options\\) needs an object')],
        [{}, ours('pass \\{ auth \\} \\(a WitboostAuth\\) or the options of createWitboostAuth')],
        [{ identity: 'x' }, ours('identity must be a function')],
        [
          { baseUrl: mock.wb.url, accessToken: mock.serviceToken, identity: 'x' },
          ours('identity must be a function'),
        ],
        [
          { auth, identity: () => undefined, baseUrl: mock.wb.url },
          ours('.*not both \\(baseUrl given with auth\\)'),
        ],
        [
          { auth, accessToken: mock.serviceToken, mode: 'basic' },
          ours('.*not both \\(accessToken, mode given with auth\\)'),
        ],
        // Values are core's to judge, with the same error.
        [{ baseUrl: 'not a url' }, /^\[@wb\/auth-core\] .*baseUrl/],
        [{ auth: {} }, /^\[@wb\/auth-core\] /],
        [{ auth, maxIdentities: 0 }, /maxIdentities/],
        [{ auth, identityIdleTimeoutMs: -1 }, /idleTimeoutMs/],
      ];
      for (const [options, message] of rows) {
        let thrown: unknown;
        try {
          harness.witboostAuth(options as RequestIdentitiesOptions<Req>);
        } catch (error) {
          thrown = error;
        }
        expect(isWitboostAuthError(thrown), String(message)).toBe(true);
        expect(thrown).toMatchObject({ name: 'WitboostAuthError', code: 'invalid_options' });
        expect((thrown as Error).message).toMatch(message);
        expect((thrown as Error).message).not.toContain(mock.serviceToken);
      }
    });
  });
}
