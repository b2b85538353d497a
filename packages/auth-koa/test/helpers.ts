import type { WitboostKoaMiddleware } from '@wb/auth-koa';
import { witboostAuth, witboostErrorHandler } from '@wb/auth-koa';
import { CALLER_HEADER, listen, type MiddlewareHarness } from '@wb/middleware-contract';
import Koa3, { type Context } from 'koa';
import Koa2 from 'koa2';

/**
 * Both supported Koa majors. The runtime is what these tests prove; the types of each major are
 * proven by test/types/*.types.ts, so Koa 2 is viewed through Koa 3's types here.
 */
export const koaMajors = [
  { major: 'koa 3', Koa: Koa3 },
  { major: 'koa 2', Koa: Koa2 as unknown as typeof Koa3 },
] as const;

/**
 * Reads a request header as a caller's access token: present (even blank) means the caller,
 * absent the service. Not `ctx.get()`, which reads an absent header as `''`, a blank token.
 */
function headerToken(header: string): (ctx: Context) => string | undefined {
  return (ctx) => {
    const value = ctx.headers[header];
    return typeof value === 'string' ? value : undefined;
  };
}

/** The caller's access token when the header is present (even blank), else the service. */
export const callerToken = headerToken(CALLER_HEADER);

/** Reads a JSON request body (tests need no body-parser dependency). */
export async function readJson(req: AsyncIterable<Uint8Array>): Promise<unknown> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/**
 * The middleware contract under one Koa major: `ctx.state.witboost`, errors mapped by
 * `witboostErrorHandler()` registered first, JSON bodies read by hand.
 */
export function koaHarness(
  major: string,
  Koa: typeof Koa3,
): MiddlewareHarness<Context, WitboostKoaMiddleware> {
  return {
    major,
    packageName: '@wb/auth-koa',
    contextName: 'ctx.state.witboost',
    witboostAuth,
    identityFromHeader: headerToken,
    serve(middleware, routes) {
      const app = new Koa();
      app.silent = true;
      app.use(witboostErrorHandler());
      app.use(middleware);
      app.use(async (ctx, next) => {
        const route = routes.find((r) => r.method === ctx.method && r.path === ctx.path);
        if (route === undefined) return next();
        const body = route.method === 'POST' ? await readJson(ctx.req) : undefined;
        const answer = await route.handler(ctx.state.witboost, { headers: ctx.headers, body });
        ctx.status = answer.status ?? 200;
        ctx.body = answer.body;
      });
      return listen(app.callback());
    },
  };
}
