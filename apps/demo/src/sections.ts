import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createWitboostAxios } from '@wb/auth-axios';
import { checkDataProducts } from '@wb/example-axios';
import { createApp as createExpressApp } from '@wb/example-express';
import { createApp as createKoaApp } from '@wb/example-koa';
import { createApp as createNestApp } from '@wb/example-nestjs';
import { fleetSection } from './fleet-section.js';
import { duration, type Section, type SectionContext } from './run.js';
import { wbAuthSection } from './wb-auth-section.js';

// What the demo shows, in order. A new section is one more entry in `sections` at the end.

const CATALOG = '/api/catalog/entities?kind=DataProduct';
const CG_VALIDATE = '/api/computational-governance/validate';
const OWNER_POLICY = {
  policy: 'require-owner',
  resource: { metadata: { name: 'invoices' }, spec: { owner: 'group:finance' } },
};
const CALLER_TOKEN_HEADER = 'x-witboost-access-token';

/** A JSON answer of Witboost through `auth.fetch`; anything but a 2xx fails the section. */
async function getJson<T>(
  ctx: SectionContext,
  fetcher: typeof fetch,
  path: string,
  body?: unknown,
): Promise<T> {
  const init: RequestInit =
    body === undefined
      ? {}
      : {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        };
  const res = await fetcher(path, init);
  ctx.check(res.ok, `${path}: expected a 2xx answer, got HTTP ${res.status}`);
  return (await res.json()) as T;
}

const core: Section = {
  title: 'Core: createWitboostAuth exchanges once, caches, and picks the CG scope',
  name: 'core',
  async run(ctx) {
    ctx.print.info(`createWitboostAuth({ baseUrl: '${ctx.baseUrl}', accessToken })`);
    const auth = ctx.auth();
    ctx.print.request(`GET ${CATALOG}`);
    const products = await getJson<Array<{ metadata: { name: string } }>>(ctx, auth.fetch, CATALOG);
    ctx.print.ok(
      `200, ${products.length} data products: ${products.map((p) => p.metadata.name).join(', ')}`,
    );

    ctx.print.request(`GET ${CATALOG}  (again)`);
    await getJson(ctx, auth.fetch, CATALOG);
    const exchanged = ctx.events.filter((e) => e.type === 'exchange').length;
    ctx.check(
      exchanged === 1,
      `the second call should come from the cache, saw ${exchanged} exchanges`,
    );
    ctx.print.ok(
      `200 from the cache: no exchange, the same ${ctx.label(await auth.authorizationFor(CATALOG))}`,
    );

    ctx.print.request(`POST ${CG_VALIDATE}  (scopeFor → ${auth.scopeFor(CG_VALIDATE)})`);
    const verdict = await getJson<{ satisfiesPolicy: boolean }>(
      ctx,
      auth.fetch,
      CG_VALIDATE,
      OWNER_POLICY,
    );
    ctx.print.ok(
      `200 satisfiesPolicy: ${verdict.satisfiesPolicy}, with a second JWT of its own scope`,
    );
  },
};

const refresh: Section = {
  title: 'Refresh ahead: callers keep the old JWT while one refresh runs behind them',
  name: 'refresh',
  async run(ctx) {
    ctx.print.info('durationSeconds: 5, refresh at half the lifetime (the default), no jitter');
    const auth = ctx.auth({ durationSeconds: 5, refresh: { jitterRatio: 0 } });
    const scheduled = ctx.next('refresh_scheduled');
    const first = await auth.authorizationFor(CATALOG);
    ctx.print.ok(`first caller: ${ctx.label(first)}`);
    const wait = Math.max(0, (await scheduled).refreshAt - Date.now()) + 150;
    ctx.print.info(`waiting ${duration(wait)}, just past the refresh point…`);
    await sleep(wait);

    const refreshed = ctx.next('exchange', (e) => e.background);
    const started = performance.now();
    const callers = await Promise.all([1, 2, 3].map(() => auth.authorizationFor(CATALOG)));
    const waited = performance.now() - started;
    ctx.check(
      callers.every((h) => h === first),
      'callers past the refresh point should not wait',
    );
    ctx.print.ok(`3 callers got ${ctx.label(first)} in ${waited.toFixed(1)} ms: nobody waited`);
    await refreshed;
    const after = await auth.authorizationFor(CATALOG);
    ctx.check(after !== first, 'the next caller should get the refreshed JWT');
    ctx.print.ok(`one background refresh; the next caller gets ${ctx.label(after)}`);
    ctx.print.request(`GET ${CATALOG}  with it`);
    await getJson(ctx, auth.fetch, CATALOG);
    ctx.print.ok('200');
  },
};

const replay: Section = {
  title: 'A 401 from the API: auth.fetch drops the JWT, exchanges once, replays',
  name: '401 replay',
  needsEmulator: 'it makes the emulator reject a valid JWT',
  async run(ctx) {
    const auth = ctx.auth();
    const current = await auth.authorizationFor(CATALOG);
    ctx.emulator().faults.rejectJwt(current?.replace(/^Bearer /, '') ?? '');
    ctx.print.info(
      `the emulator now answers 401 to ${ctx.label(current)}, as if Witboost had dropped it`,
    );
    ctx.print.request(`3 × GET ${CATALOG}  at once, all carrying ${ctx.label(current)}`);
    await Promise.all([1, 2, 3].map(() => getJson(ctx, auth.fetch, CATALOG)));
    const count = (type: string) => ctx.events.filter((e) => e.type === type).length;
    ctx.check(
      count('exchange') === 2,
      `a burst of 401s should cause one exchange, saw ${count('exchange') - 1}`,
    );
    ctx.print.ok(
      `3 × 200 for the callers: 3 refused + ${count('replay_after_401')} replayed requests, 1 new exchange, now on ${ctx.label(await auth.authorizationFor(CATALOG))}`,
    );
  },
};

const outage: Section = {
  title: 'An exchange outage, survived: requests keep flowing on the valid JWT',
  name: 'outage',
  needsEmulator: 'it injects exchange failures into the emulator',
  async run(ctx) {
    ctx.print.info('durationSeconds: 5, refresh at 10% so the outage fits in the demo');
    const auth = ctx.auth({
      durationSeconds: 5,
      refresh: { refreshAtRatio: 0.1, jitterRatio: 0, initialBackoffMs: 100 },
    });
    await auth.authorizationFor(CATALOG);
    const wb = ctx.emulator();
    wb.faults.failNextExchanges(2, { status: 503 });
    wb.faults.failNextExchanges(1, { status: 429, retryAfterSeconds: 1 });
    ctx.print.info('the next exchanges answer 503, 503, then 429 with Retry-After: 1');

    let recovered = false;
    void ctx
      .next('exchange', (e) => e.background)
      .then(() => {
        recovered = true;
      });
    ctx.print.request(`GET ${CATALOG}  every 50 ms until the refresh gets through`);
    let sent = 0;
    let failed = 0;
    const started = Date.now();
    // Three more after the recovery show the new JWT in use.
    for (let after = 3; after > 0 && Date.now() - started < 6_000; sent += 1) {
      if (recovered) after -= 1;
      const res = await auth.fetch(CATALOG).catch(() => undefined);
      await res?.body?.cancel();
      if (!res?.ok) failed += 1;
      await sleep(50);
    }
    ctx.check(recovered, 'the background refresh should get through once the outage ends');
    ctx.check(failed === 0, `${failed} of ${sent} requests failed during the outage`);
    ctx.print.ok(
      `${sent} requests in ${duration(Date.now() - started)}, none failed; 3 failed exchanges, then a good one`,
    );
  },
};

const axiosExample: Section = {
  title: 'Example: axios (apps/example-axios, @wb/auth-axios)',
  name: 'axios',
  async run(ctx) {
    const witboost = createWitboostAxios({
      auth: ctx.auth({ accessToken: ctx.issueAccessToken('service-account:example-axios') }),
    });
    ctx.print.request(
      'checkDataProducts(createWitboostAxios({ auth })): the catalog, then CG per data product',
    );
    for (const v of await checkDataProducts(witboost)) {
      ctx.print.ok(
        `${v.dataProduct}: ${v.satisfiesPolicy ? 'satisfies' : `violates (${v.errors.join('; ')})`} require-owner`,
      );
    }
  },
};

/** Serves an app on a free loopback port for the rest of the section; returns a caller for it. */
async function serve(ctx: SectionContext, listener: RequestListener) {
  const server = createServer(listener).listen(0, '127.0.0.1');
  await once(server, 'listening');
  ctx.defer(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ctx.print.info(`app listening on ${url}`);
  return async (
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: unknown,
  ) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  };
}

/** The same walk through the Express and the Koa example: they have the same routes. */
async function walkService(
  ctx: SectionContext,
  listener: RequestListener,
  caller: string,
): Promise<void> {
  const call = await serve(ctx, listener);
  const products = await call('GET', '/data-products');
  ctx.check(products.status === 200, `GET /data-products: HTTP ${products.status}`);
  ctx.print.ok(
    `GET /data-products (as the service) → 200, ${(products.body as unknown[]).length} data products`,
  );

  const verdict = await call('POST', '/policies/validate', {}, OWNER_POLICY);
  ctx.check(verdict.status === 200, `POST /policies/validate: HTTP ${verdict.status}`);
  ctx.print.ok(
    `POST /policies/validate (as the service, CG scope) → 200 satisfiesPolicy: ${(verdict.body as { satisfiesPolicy: boolean }).satisfiesPolicy}`,
  );

  if (ctx.wb === undefined) {
    ctx.print.info(
      'GET /me/data-products on behalf of a caller: skipped, only the emulator can issue a caller PAT',
    );
  } else {
    const asCaller = { [CALLER_TOKEN_HEADER]: ctx.wb.issueAccessToken({ subject: caller }) };
    const exchanges = () => ctx.events.filter((e) => e.type === 'exchange').length;
    const before = exchanges();
    for (let i = 0; i < 2; i++) {
      const mine = await call('GET', '/me/data-products', asCaller);
      ctx.check(mine.status === 200, `GET /me/data-products: HTTP ${mine.status}`);
    }
    ctx.check(exchanges() - before === 1, 'two calls of one caller should exchange once');
    ctx.print.ok(
      `GET /me/data-products × 2 (on behalf of a caller, ${caller}) → 200: one exchange for the caller`,
    );
  }
  const unknown = `wbat-${randomBytes(27).toString('base64url').slice(0, 35)}`;
  const rejected = await call('GET', '/me/data-products', { [CALLER_TOKEN_HEADER]: unknown });
  ctx.check(
    rejected.status === 401,
    `an unknown caller token should be a 401, got ${rejected.status}`,
  );
  const code = (rejected.body as { error?: { code?: string } }).error?.code;
  ctx.print.refused(`GET /me/data-products with an unknown caller token → 401 ${code}`);
}

const expressExample: Section = {
  title: 'Example: Express (apps/example-express, @wb/auth-express)',
  name: 'Express',
  async run(ctx) {
    const { app, close } = createExpressApp(
      ctx.witboost({ accessToken: ctx.issueAccessToken('service-account:example-express') }),
    );
    ctx.defer(close);
    await walkService(ctx, app, 'user:alice');
  },
};

const koaExample: Section = {
  title: 'Example: Koa (apps/example-koa, @wb/auth-koa)',
  name: 'Koa',
  async run(ctx) {
    const { app, close } = createKoaApp(
      ctx.witboost({ accessToken: ctx.issueAccessToken('service-account:example-koa') }),
    );
    ctx.defer(close);
    await walkService(ctx, app.callback(), 'user:bob');
  },
};

const nestExample: Section = {
  title: 'Example: NestJS (apps/example-nestjs, @wb/auth-nestjs)',
  name: 'NestJS',
  async run(ctx) {
    const { baseUrl, accessToken, ...hooks } = ctx.witboost({
      accessToken: ctx.issueAccessToken('service-account:example-nestjs'),
    });
    const env = { WITBOOST_BASE_URL: String(baseUrl), WITBOOST_ACCESS_TOKEN: String(accessToken) };
    const app = await createNestApp({ env, witboost: hooks });
    ctx.defer(() => app.close());
    await app.listen(0, '127.0.0.1');
    ctx.print.info(`app listening on ${await app.getUrl()}`);
    const products = await fetch(`${await app.getUrl()}/data-products`);
    ctx.check(products.status === 200, `GET /data-products: HTTP ${products.status}`);
    ctx.print.ok(
      `GET /data-products (WitboostAuthService.axios) → 200, ${((await products.json()) as unknown[]).length} data products`,
    );
    const verdict = await fetch(`${await app.getUrl()}/policies/validate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(OWNER_POLICY),
    });
    ctx.check(verdict.status === 200, `POST /policies/validate: HTTP ${verdict.status}`);
    ctx.print.ok(
      `POST /policies/validate (HttpService, CG scope) → 200 satisfiesPolicy: ${((await verdict.json()) as { satisfiesPolicy: boolean }).satisfiesPolicy}`,
    );
  },
};

const basic: Section = {
  title: "Basic mode: mode: 'basic', no exchange at all",
  name: 'basic mode',
  needsEmulator: 'Basic is off by default on an installation (the emulator enables it)',
  async run(ctx) {
    ctx.print.info(
      'Authorization: Basic base64("witboost:" + accessToken), for the modules that accept it',
    );
    const auth = ctx.auth({ mode: 'basic' });
    ctx.print.request(`GET ${CATALOG}`);
    await getJson(ctx, auth.fetch, CATALOG);
    ctx.print.ok('200');
    ctx.print.request(`POST ${CG_VALIDATE}  (Basic needs no scope)`);
    await getJson(ctx, auth.fetch, CG_VALIDATE, OWNER_POLICY);
    ctx.check(
      ctx.events.every((e) => e.type !== 'exchange'),
      'basic mode should never exchange',
    );
    ctx.print.ok('200, and no exchange: the header is computed once per access token');
  },
};

/** The demo, in order: what a new user needs to see. */
export const sections: readonly Section[] = [
  core,
  refresh,
  replay,
  outage,
  axiosExample,
  expressExample,
  koaExample,
  nestExample,
  fleetSection,
  wbAuthSection,
  basic,
];
