import type { WitboostAuthOptions } from '@wb/auth-core';
import { witboostAuth, witboostErrorHandler } from '@wb/auth-express';
import express, { type Express, type Request, type Response } from 'express';

/** The header a caller puts its own Witboost access token (a PAT) in, for the `/me/…` routes. */
export const CALLER_TOKEN_HEADER = 'x-witboost-access-token';

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
function callerIdentity(req: Request): string | undefined {
  return req.path.startsWith('/me/') ? (req.get(CALLER_TOKEN_HEADER) ?? '') : undefined;
}

/** Lists the catalog's data products with whichever identity `req.witboost` carries. */
async function listDataProducts(req: Request, res: Response): Promise<void> {
  const answer = await req.witboost.fetch('/api/catalog/entities?kind=DataProduct');
  if (!answer.ok) {
    res
      .status(answer.status)
      .type('json')
      .send(await answer.text());
    return;
  }
  const entities = (await answer.json()) as CatalogEntity[];
  res.json(
    entities.map(
      ({ metadata, spec }): DataProductSummary => ({
        name: metadata.name,
        title: metadata.title ?? metadata.name,
        owner: typeof spec?.owner === 'string' ? spec.owner : null,
      }),
    ),
  );
}

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
export function createApp(witboost: WitboostAuthOptions): { app: Express; close(): Promise<void> } {
  const auth = witboostAuth({ ...witboost, identity: callerIdentity });
  const app = express();
  app.disable('x-powered-by');
  app.use(auth);

  app.get('/data-products', listDataProducts);
  app.get('/me/data-products', listDataProducts);
  app.post('/policies/validate', express.json(), async (req, res) => {
    const answer = await req.witboost.fetch('/api/computational-governance/validate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(req.body ?? {}),
    });
    res
      .status(answer.status)
      .type('json')
      .send(await answer.text());
  });

  // Express 5 hands a rejected handler promise to the error handlers: no try/catch needed.
  app.use(witboostErrorHandler());
  return { app, close: () => auth.close() };
}
