import type { WitboostAuthOptions } from '@wb/auth-core';
import { witboostAuth, witboostErrorHandler } from '@wb/auth-koa';
import Koa, { type Context } from 'koa';

/** The header a caller puts its own Witboost access token (a PAT) in, for the `/me/…` routes. */
export const CALLER_TOKEN_HEADER = 'x-witboost-access-token';

/** Largest request body `POST /policies/validate` accepts. */
const MAX_BODY_BYTES = 1024 * 1024;

/** A data product as this service returns it. */
export interface DataProductSummary {
  name: string;
  title: string;
  owner: string | null;
}

interface CatalogEntity {
  metadata: { name: string; title?: string };
  spec?: { owner?: unknown };
}

/**
 * `/me/…` routes act on behalf of the caller, whose token is then required: a missing header
 * reads as blank, which `@wb/auth-core` rejects with a 401 before any exchange. Every other route
 * (`undefined`) uses the service's own identity.
 */
function callerIdentity(ctx: Context): string | undefined {
  return ctx.path.startsWith('/me/') ? ctx.get(CALLER_TOKEN_HEADER) : undefined;
}

/** Passes a Witboost answer through as it is (status and JSON body). */
async function relay(ctx: Context, answer: Response): Promise<void> {
  ctx.status = answer.status;
  ctx.type = 'json';
  ctx.body = await answer.text();
}

/** The request body, bounded: this example needs no body-parser dependency. */
async function readBody(ctx: Context): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) ctx.throw(413, 'request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Lists the catalog's data products with whichever identity `ctx.state.witboost` carries. */
async function listDataProducts(ctx: Context): Promise<void> {
  const answer = await ctx.state.witboost.fetch('/api/catalog/entities?kind=DataProduct');
  if (!answer.ok) return relay(ctx, answer);
  const entities = (await answer.json()) as CatalogEntity[];
  ctx.body = entities.map(
    ({ metadata, spec }): DataProductSummary => ({
      name: metadata.name,
      title: metadata.title ?? metadata.name,
      owner: typeof spec?.owner === 'string' ? spec.owner : null,
    }),
  );
}

/** Forwards the JSON body to Computational Governance (the path gets a CG-scoped JWT). */
async function validatePolicy(ctx: Context): Promise<void> {
  const answer = await ctx.state.witboost.fetch('/api/computational-governance/validate', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: (await readBody(ctx)) || '{}',
  });
  await relay(ctx, answer);
}

const routes: Record<string, (ctx: Context) => Promise<void>> = {
  'GET /data-products': listDataProducts,
  'GET /me/data-products': listDataProducts,
  'POST /policies/validate': validatePolicy,
};

/**
 * The example service, built but not listening:
 *
 * - `GET /data-products`: the catalog's data products, as the service.
 * - `POST /policies/validate`: the JSON body forwarded to Computational Governance (the JWT gets
 *   the `service:computational-governance` scope from the path), as the service.
 * - `GET /me/data-products`: the same list on behalf of the caller, whose access token comes in
 *   the `X-Witboost-Access-Token` header.
 *
 * Witboost errors become secret-free JSON problems: 401 for a bad caller token, 502/503 when
 * Witboost fails.
 *
 * @param witboost - options of `createWitboostAuth` (`baseUrl`, `accessToken`, hooks)
 * @returns the app, and `close()` to release the Witboost identities it holds
 * @example
 * ```ts
 * import { createApp } from './app.js';
 * const { app, close } = createApp({ baseUrl: 'https://witboost.example.com' });
 * app.listen(3000, '127.0.0.1');
 * ```
 */
export function createApp(witboost: WitboostAuthOptions): { app: Koa; close(): Promise<void> } {
  const auth = witboostAuth({ ...witboost, identity: callerIdentity });
  const app = new Koa();
  // First, so it maps the errors of everything after it.
  app.use(witboostErrorHandler());
  app.use(auth);
  app.use(async (ctx, next) => {
    const route = routes[`${ctx.method} ${ctx.path}`];
    if (route === undefined) return next();
    await route(ctx);
  });
  return { app, close: () => auth.close() };
}
