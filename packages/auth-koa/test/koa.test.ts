import { createHook } from 'node:async_hooks';
import { createWitboostAuth, isWitboostAuthError, type WitboostAuth } from '@wb/auth-core';
import {
  type WitboostKoaMiddleware,
  type WitboostKoaOptions,
  witboostAuth,
  witboostErrorMapper,
} from '@wb/auth-koa';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import type { Context, Next } from 'koa';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import {
  countingAuth,
  foreignServer,
  koaMajors,
  type Listening,
  listen,
  readJson,
} from './helpers.js';

const CG = 'service:computational-governance';
const CALLER_HEADER = 'x-witboost-access-token';
// Fast failure handling, so "Witboost is down" answers within milliseconds.
const refresh = { initialBackoffMs: 1, maxBackoffMs: 5, exchangeTimeoutMs: 2_000 };

function exchangesOf(wb: WitboostMock, accessToken: string): number {
  return wb.stats.exchanges.byAccessToken[`wbat-…${accessToken.slice(-4)}`] ?? 0;
}

function subjectsOf(wb: WitboostMock): Array<string | null> {
  return wb.lastRequests.filter((r) => r.path.startsWith('/api/catalog')).map((r) => r.subject);
}

/** The caller's access token when the header is present (even blank), else the service. */
function callerToken(ctx: Context): string | undefined {
  const value = ctx.headers[CALLER_HEADER];
  return typeof value === 'string' ? value : undefined;
}

describe.each(koaMajors)('$major', ({ Koa }) => {
  let wb: WitboostMock;
  let serviceToken: string;
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeEach(async () => {
    wb = await startWitboostMock({ port: 0 });
    cleanups.push(() => wb.close());
    serviceToken = wb.issueAccessToken({ subject: 'service-account:example' });
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** The example service: catalog, CG validation, a route that never calls Witboost. */
  async function start(
    options: Partial<WitboostKoaOptions> = {},
    foreignUrl = 'http://127.0.0.1:9/unused',
  ): Promise<Listening & { witboost: WitboostKoaMiddleware; auths: WitboostAuth[] }> {
    const witboost = witboostAuth({
      baseUrl: wb.url,
      accessToken: serviceToken,
      refresh,
      identity: callerToken,
      ...options,
    } as WitboostKoaOptions);
    cleanups.push(() => witboost.close());
    const auths: WitboostAuth[] = [];
    const app = new Koa();
    app.silent = true;
    app.use(witboostErrorMapper());
    app.use(witboost);
    app.use(async (ctx, next) => {
      auths.push(ctx.state.witboost.auth);
      const { witboost: client } = ctx.state;
      switch (`${ctx.method} ${ctx.path}`) {
        case 'GET /data-products': {
          const answer = await client.fetch('/api/catalog/entities?kind=DataProduct');
          ctx.status = answer.status;
          ctx.body = await answer.json();
          return;
        }
        case 'POST /policies/validate': {
          const answer = await client.fetch('/api/computational-governance/validate', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(await readJson(ctx.req)),
          });
          ctx.status = answer.status;
          ctx.body = await answer.json();
          return;
        }
        case 'GET /both': {
          const [catalog, cg] = await Promise.all([
            client.fetch('/api/catalog/entities'),
            client.getToken({ scope: CG }),
          ]);
          ctx.body = { catalog: catalog.status, cg: cg.length > 0 };
          return;
        }
        case 'GET /foreign':
          ctx.body = await (await client.fetch(`${foreignUrl}/hook`)).json();
          return;
        case 'POST /echo':
          ctx.body = {
            headers: ctx.headers,
            body: await readJson(ctx.req),
            witboost: typeof client.fetch,
          };
          return;
        case 'GET /quiet':
          ctx.body = { ok: true };
          return;
        default:
          await next();
      }
    });
    const server = await listen(app.callback());
    cleanups.push(() => server.close());
    return { ...server, witboost, auths };
  }

  test('README example: lists data products with the service identity', async () => {
    const auth = createWitboostAuth({ baseUrl: wb.url, accessToken: serviceToken });
    cleanups.push(() => auth.close());
    const witboost = witboostAuth({ auth });
    cleanups.push(() => witboost.close());
    const app = new Koa();
    app.use(witboostErrorMapper());
    app.use(witboost);
    app.use(async (ctx) => {
      const answer = await ctx.state.witboost.fetch('/api/catalog/entities?kind=DataProduct');
      ctx.body = await answer.json();
    });
    const server = await listen(app.callback());
    cleanups.push(() => server.close());

    const res = await fetch(`${server.url}/data-products`);
    expect(res.status).toBe(200);
    const products = (await res.json()) as Array<{ kind: string }>;
    expect(products.length).toBeGreaterThan(0);
    expect(products.every((p) => p.kind === 'DataProduct')).toBe(true);
    expect(wb.stats.exchanges.byScope).toEqual({ '(none)': 1 });
    expect(subjectsOf(wb)).toEqual(['service-account:example']);
    expect(witboost.name).toBe('witboostAuthMiddleware');
    // `{ auth }` belongs to the caller: closing the middleware leaves it usable.
    await witboost.close();
    await expect(auth.getToken()).resolves.toMatch(/^eyJ/);
  });

  test('nothing is exchanged until a handler uses ctx.state.witboost', async () => {
    const server = await start();
    const quiet = await fetch(`${server.url}/quiet`, { headers: { [CALLER_HEADER]: 'wbat-x' } });
    expect(quiet.status).toBe(200);
    expect(wb.stats.exchanges.total).toBe(0);
    expect(server.witboost.identities).toBe(1);
  });

  test('on behalf of callers: one exchange per caller, cached across requests', async () => {
    const alice = wb.issueAccessToken({ subject: 'user:alice' });
    const bob = wb.issueAccessToken({ subject: 'user:bob' });
    const server = await start();
    for (const token of [alice, bob, alice, bob, alice]) {
      const res = await fetch(`${server.url}/data-products`, {
        headers: { [CALLER_HEADER]: token },
      });
      expect(res.status).toBe(200);
    }
    expect(exchangesOf(wb, alice)).toBe(1);
    expect(exchangesOf(wb, bob)).toBe(1);
    expect(exchangesOf(wb, serviceToken)).toBe(0);
    expect(subjectsOf(wb)).toEqual([
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
      wb.issueAccessToken({ subject }),
    );
    const server = await start({ maxIdentities: 2 });
    for (const token of [a, b, c]) {
      await fetch(`${server.url}/data-products`, { headers: { [CALLER_HEADER]: token as string } });
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
    expect(exchangesOf(wb, a as string)).toBe(2);
    await expect(authB?.getToken()).rejects.toMatchObject({ code: 'closed' });
  });

  test('a caller idle for longer than identityIdleTimeoutMs is closed', async () => {
    // Only the clock is fake (HTTP needs real timers): idleness is measured with Date.now().
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const alice = wb.issueAccessToken({ subject: 'user:alice' });
      const server = await start({ identityIdleTimeoutMs: 60_000 });
      const headers = { [CALLER_HEADER]: alice };
      await fetch(`${server.url}/data-products`, { headers });
      vi.setSystemTime(Date.now() + 59_000);
      await fetch(`${server.url}/data-products`, { headers });
      expect(exchangesOf(wb, alice)).toBe(1);
      vi.setSystemTime(Date.now() + 60_000);
      await fetch(`${server.url}/quiet`);
      expect(server.witboost.identities).toBe(0);
      await expect(server.auths[0]?.getToken()).rejects.toMatchObject({ code: 'closed' });
      await fetch(`${server.url}/data-products`, { headers });
      expect(exchangesOf(wb, alice)).toBe(2);
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
    expect(wb.stats.exchanges.byScope).toEqual({ [CG]: 1 });
  });

  test('50 concurrent requests of one caller: one exchange per scope', async () => {
    const alice = wb.issueAccessToken({ subject: 'user:alice' });
    wb.faults.setExchangeLatency(50);
    const server = await start();
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        fetch(`${server.url}/both`, { headers: { [CALLER_HEADER]: alice } }),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(wb.stats.exchanges.byScope).toEqual({ '(none)': 1, [CG]: 1 });
    expect(exchangesOf(wb, alice)).toBe(2);
  });

  test('a revoked caller token answers 401 with a JSON code and no secret', async () => {
    const alice = wb.issueAccessToken({ subject: 'user:alice' });
    wb.revoke(alice);
    const server = await start();
    const res = await fetch(`${server.url}/data-products`, { headers: { [CALLER_HEADER]: alice } });
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
    wb.faults.failNextExchanges(20, { status: 503 });
    const server = await start();
    const failing = await fetch(`${server.url}/data-products`);
    expect(failing.status).toBe(502);
    const text = await failing.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'server_error' } });
    expect(text).not.toMatch(/wbat-|eyJ/);

    const closed = await listen(() => undefined);
    await closed.close();
    const down = await start({ baseUrl: closed.url });
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
    expect(wb.stats.exchanges.total).toBe(0);
    expect(server.witboost.identities).toBe(0);
  });

  test('no credential reaches a foreign origin, for the service or a caller', async () => {
    const foreign = await foreignServer();
    cleanups.push(() => foreign.close());
    const alice = wb.issueAccessToken({ subject: 'user:alice' });
    const server = await start({}, foreign.url);
    expect(await (await fetch(`${server.url}/foreign`)).json()).toEqual({ foreign: true });
    await fetch(`${server.url}/foreign`, { headers: { [CALLER_HEADER]: alice } });
    expect(foreign.seen).toHaveLength(2);
    for (const headers of foreign.seen) {
      expect(headers.authorization).toBeUndefined();
      expect(JSON.stringify(headers)).not.toMatch(/wbat-|eyJ|Bearer|Basic/);
    }
    expect(wb.stats.exchanges.total).toBe(0);
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
      const alice = wb.issueAccessToken({ subject: 'user:alice' });
      const server = await start({ keepWarm: true, identityIdleTimeoutMs: 60_000 });
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
    const { auth: counting, open } = countingAuth(wb.url, serviceToken);
    cleanups.push(() => counting.close());
    const witboost = witboostAuth({ auth: counting, maxIdentities: 5, identity: callerToken });
    cleanups.push(() => witboost.close());
    const app = new Koa();
    app.use(witboost);
    app.use((ctx) => {
      ctx.body = { identities: witboost.identities };
    });
    const server = await listen(app.callback());
    cleanups.push(() => server.close());
    for (let i = 0; i < 20; i++) {
      const res = await fetch(server.url, { headers: { [CALLER_HEADER]: `wbat-http-${i}` } });
      expect(await res.json()).toEqual({ identities: Math.min(i + 1, 5) });
    }
    expect(open()).toBe(5);
    await witboost.close();
    expect(open()).toBe(0);
    expect(wb.stats.exchanges.total).toBe(0);
  });

  test('every bad option throws WitboostAuthError invalid_options, naming the package', () => {
    const auth = createWitboostAuth({ baseUrl: wb.url, accessToken: serviceToken });
    cleanups.push(() => auth.close());
    const ours = (detail: string) => new RegExp(`^\\[@wb/auth-core\\] @wb/auth-koa: ${detail}`);
    const rows: Array<[options: unknown, message: RegExp]> = [
      [undefined, ours('witboostAuth\\(options\\) needs an object')],
      [null, ours('witboostAuth\\(options\\) needs an object')],
      [wb.url, ours('witboostAuth\\(options\\) needs an object')],
      [[auth], ours('witboostAuth\\(options\\) needs an object')],
      [{}, ours('pass \\{ auth \\} \\(a WitboostAuth\\) or the options of createWitboostAuth')],
      [{ identity: 'x' }, ours('identity must be a function')],
      [
        { baseUrl: wb.url, accessToken: serviceToken, identity: 'x' },
        ours('identity must be a function'),
      ],
      [
        { auth, identity: () => undefined, baseUrl: wb.url },
        ours('.*not both \\(baseUrl given with auth\\)'),
      ],
      [
        { auth, accessToken: serviceToken, mode: 'basic' },
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
        witboostAuth(options as WitboostKoaOptions);
      } catch (error) {
        thrown = error;
      }
      expect(isWitboostAuthError(thrown), String(message)).toBe(true);
      expect(thrown).toMatchObject({ name: 'WitboostAuthError', code: 'invalid_options' });
      expect((thrown as Error).message).toMatch(message);
      expect((thrown as Error).message).not.toContain(serviceToken);
    }
  });

  test('other errors pass through witboostErrorMapper untouched', async () => {
    const app = new Koa();
    app.silent = true;
    app.use(async (ctx, next) => {
      try {
        await next();
      } catch (error) {
        ctx.status = 418;
        ctx.body = { message: (error as Error).message };
      }
    });
    app.use(witboostErrorMapper());
    app.use(() => {
      throw new Error('not ours');
    });
    const server = await listen(app.callback());
    cleanups.push(() => server.close());
    const res = await fetch(`${server.url}/boom`);
    expect(res.status).toBe(418);
    expect(await res.json()).toEqual({ message: 'not ours' });
  });
});

// Framework-independent (the middleware is called directly), so it runs once, not per major.
test('100,000 distinct callers keep the pool within maxIdentities', async () => {
  const { auth: counting, open } = countingAuth('https://witboost.example.com', 'wbat-service');
  const witboost = witboostAuth({ auth: counting, maxIdentities: 100, identity: callerToken });
  try {
    const next: Next = async () => undefined;
    for (let i = 0; i < 100_000; i++) {
      const ctx = {
        headers: { [CALLER_HEADER]: `wbat-caller-${i}` },
        state: {},
      } as unknown as Context;
      await witboost(ctx, next);
      if (ctx.state.witboost === undefined) throw new Error(`no context for caller ${i}`);
    }
    expect(witboost.identities).toBe(100);
    expect(open()).toBe(100);
  } finally {
    await witboost.close();
    await counting.close();
  }
  expect(open()).toBe(0);
}, 30_000);
