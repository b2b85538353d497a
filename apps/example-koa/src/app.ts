import type { WitboostAuthOptions } from '@wb/auth-core';
import { witboostAuth, witboostErrorHandler } from '@wb/auth-koa';
import Koa, { type Context } from 'koa';

/** The header a caller puts its own Witboost access token (PAT) in, for the `/me/…` routes. */
export const CALLER_TOKEN_HEADER = 'x-witboost-access-token';

/** Largest request body `POST /policies/validate` accepts. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Configuration of {@link createExampleApp}. */
export interface ExampleAppConfig {
  /** Witboost base URL, e.g. `https://witboost.example.com` or the emulator's `wb.url`. */
  baseUrl: string;
  /** The service's own access token (`wbat-…`). Never logged. */
  accessToken: string;
  /** Observability hook of `@wb/auth-core` (exchanges, failures); never receives a secret. */
  onEvent?: WitboostAuthOptions['onEvent'];
  /** Refresh and retry tuning of `@wb/auth-core`. @default core's defaults */
  refresh?: WitboostAuthOptions['refresh'];
}

/** The app and how to release what it holds. */
export interface ExampleApp {
  app: Koa;
  /** Closes every Witboost identity the app holds (not the HTTP server: that is the caller's). */
  close(): Promise<void>;
}

/** A data product as this service returns it. */
export interface DataProductSummary {
  name: string;
  title: string;
  owner: string | null;
  domain: string | null;
}

interface CatalogEntity {
  metadata: { name: string; title?: string };
  spec?: Record<string, unknown>;
}

const summarise = (entity: CatalogEntity): DataProductSummary => ({
  name: entity.metadata.name,
  title: entity.metadata.title ?? entity.metadata.name,
  owner: typeof entity.spec?.owner === 'string' ? entity.spec.owner : null,
  domain: typeof entity.spec?.domain === 'string' ? entity.spec.domain : null,
});

/**
 * `/me/…` routes act on behalf of the caller, whose token is then required: a missing header
 * reads as blank, which `@wb/auth-core` rejects with a 401 before any exchange. Every other route
 * uses the service identity.
 */
function callerIdentity(ctx: Context): string | undefined {
  if (!ctx.path.startsWith('/me/')) return undefined;
  const token = ctx.headers[CALLER_TOKEN_HEADER];
  return typeof token === 'string' ? token : '';
}

/** Passes a Witboost answer through as it is (status, type, body). */
async function relay(ctx: Context, answer: Response): Promise<void> {
  ctx.status = answer.status;
  ctx.type = answer.headers.get('content-type') ?? 'application/json';
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
  ctx.body = ((await answer.json()) as CatalogEntity[]).map(summarise);
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
 * Builds the example service (no listening, no global state):
 *
 * - `GET /data-products`: the catalog's data products, as the service.
 * - `POST /policies/validate`: the JSON body forwarded to Computational Governance
 *   (`/api/computational-governance/validate`, CG-scoped JWT), as the service.
 * - `GET /me/data-products`: the same list, on behalf of the caller, whose access token comes in
 *   the `X-Witboost-Access-Token` header.
 *
 * Witboost errors become JSON problems (`witboostErrorHandler`): 401 for a bad caller token,
 * 502/503 when Witboost fails.
 *
 * @param config - Witboost base URL, the service's access token, optional core hooks
 * @returns the Koa app and `close()`
 * @example
 * ```ts
 * import { createExampleApp } from './app.js';
 * const { app, close } = createExampleApp({ baseUrl, accessToken });
 * const server = app.listen(3000, '127.0.0.1');
 * ```
 */
export function createExampleApp(config: ExampleAppConfig): ExampleApp {
  const witboost = witboostAuth({ ...config, identity: callerIdentity });
  const app = new Koa();
  app.use(witboostErrorHandler());
  app.use(witboost);
  app.use(async (ctx, next) => {
    const route = routes[`${ctx.method} ${ctx.path}`];
    if (route === undefined) return next();
    await route(ctx);
  });
  return { app, close: () => witboost.close() };
}
