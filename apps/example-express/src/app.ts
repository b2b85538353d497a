import type { WitboostAuthOptions } from '@wb/auth-core';
import { witboostAuth, witboostErrorHandler } from '@wb/auth-express';
import express, { type Express, type Response as ExpressResponse, type Request } from 'express';

/** The header a caller puts its own Witboost access token (PAT) in, for the `/me/…` routes. */
export const CALLER_TOKEN_HEADER = 'x-witboost-access-token';

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
  app: Express;
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
function callerIdentity(req: Request): string | undefined {
  return req.path.startsWith('/me/') ? (req.get(CALLER_TOKEN_HEADER) ?? '') : undefined;
}

/** Passes a Witboost answer through as it is (status, type, body). */
async function relay(answer: Response, res: ExpressResponse): Promise<void> {
  res
    .status(answer.status)
    .type(answer.headers.get('content-type') ?? 'application/json')
    .send(await answer.text());
}

/** Lists the catalog's data products with whichever identity `req.witboost` carries. */
async function listDataProducts(req: Request, res: ExpressResponse): Promise<void> {
  const answer = await req.witboost.fetch('/api/catalog/entities?kind=DataProduct');
  if (!answer.ok) return relay(answer, res);
  res.json(((await answer.json()) as CatalogEntity[]).map(summarise));
}

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
 * @returns the Express app and `close()`
 * @example
 * ```ts
 * import { createExampleApp } from './app.js';
 * const { app, close } = createExampleApp({ baseUrl, accessToken });
 * const server = app.listen(3000, '127.0.0.1');
 * ```
 */
export function createExampleApp(config: ExampleAppConfig): ExampleApp {
  const witboost = witboostAuth({ ...config, identity: callerIdentity });
  const app = express();
  app.disable('x-powered-by');
  app.use(witboost);

  app.get('/data-products', listDataProducts);
  app.get('/me/data-products', listDataProducts);
  app.post('/policies/validate', express.json(), async (req, res) => {
    const answer = await req.witboost.fetch('/api/computational-governance/validate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(req.body ?? {}),
    });
    await relay(answer, res);
  });

  // Express 5 hands a rejected handler promise to the error handlers: no try/catch needed.
  app.use(witboostErrorHandler());
  return { app, close: () => witboost.close() };
}
