import { createWitboostAuth } from '@wb/auth-core';
import { witboostAuth, witboostErrorHandler } from '@wb/auth-koa';
import {
  CALLER_HEADER,
  countingAuth,
  describeMiddlewareContract,
  listen,
  useWitboostMock,
} from '@wb/middleware-contract';
import type { WitboostMock } from '@wb/witboost-mock';
import type { Context, Next } from 'koa';
import { describe, expect, test } from 'vitest';
import { callerToken, koaHarness, koaMajors } from './helpers.js';

function subjectsOf(wb: WitboostMock): Array<string | null> {
  return wb.lastRequests.filter((r) => r.path.startsWith('/api/catalog')).map((r) => r.subject);
}

for (const { major, Koa } of koaMajors) describeMiddlewareContract(koaHarness(major, Koa));

describe.each(koaMajors)('$major', ({ Koa }) => {
  const mock = useWitboostMock();

  test('README example: lists data products with the service identity', async () => {
    const auth = createWitboostAuth({ baseUrl: mock.wb.url, accessToken: mock.serviceToken });
    mock.defer(() => auth.close());
    const witboost = witboostAuth({ auth });
    mock.defer(() => witboost.close());
    const app = new Koa();
    app.use(witboostErrorHandler());
    app.use(witboost);
    app.use(async (ctx) => {
      const answer = await ctx.state.witboost.fetch('/api/catalog/entities?kind=DataProduct');
      ctx.body = await answer.json();
    });
    const server = await listen(app.callback());
    mock.defer(() => server.close());

    const res = await fetch(`${server.url}/data-products`);
    expect(res.status).toBe(200);
    const products = (await res.json()) as Array<{ kind: string }>;
    expect(products.length).toBeGreaterThan(0);
    expect(products.every((p) => p.kind === 'DataProduct')).toBe(true);
    expect(mock.wb.stats.exchanges.byScope).toEqual({ '(none)': 1 });
    expect(subjectsOf(mock.wb)).toEqual(['service-account:example']);
    expect(witboost.name).toBe('witboostAuthMiddleware');
    // `{ auth }` belongs to the caller: closing the middleware leaves it usable.
    await witboost.close();
    await expect(auth.getToken()).resolves.toMatch(/^eyJ/);
  });

  test('other errors pass through witboostErrorHandler untouched', async () => {
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
    app.use(witboostErrorHandler());
    app.use(() => {
      throw new Error('not ours');
    });
    const server = await listen(app.callback());
    mock.defer(() => server.close());
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
}, 60_000);
