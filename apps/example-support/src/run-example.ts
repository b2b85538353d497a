import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExampleDefinition } from './example.js';
import { exchangeTally } from './exchange-tally.js';

/** A data product as the examples' `GET /data-products` returns it. */
interface DataProductSummary {
  name: string;
  title: string;
  owner: string | null;
}

/** Options of {@link runExample}. */
export interface ExampleRunOptions {
  /** Witboost base URL, e.g. `https://witboost.example.com` or the emulator's `wb.url`. */
  baseUrl: string;
  /** The service's access token (`wbat-…`). Never printed. */
  accessToken: string;
  /**
   * Returns a caller's access token (a PAT) for the on-behalf-of route; that part is skipped when
   * omitted. With the emulator: `() => wb.issueAccessToken({ subject: 'user:alice' })`.
   */
  issueCallerToken?: () => string | Promise<string>;
  /** Where the readable report goes, one line per call. @default console.log */
  log?: (line: string) => void;
  /** Computational Governance policy each data product is validated against. @default 'require-owner' */
  policy?: string;
}

/** What {@link runExample} did, for the demo and the tests. */
export interface ExampleRunResult {
  /** HTTP requests made to the example app's own routes. */
  requests: number;
  /** Token exchanges the app made (service and callers), by scope (`'(none)'` for the default JWT). */
  exchanges: Record<string, number>;
  /** Names of the data products `GET /data-products` returned. */
  dataProducts: string[];
  /** Verdict per data product under `policy`. */
  verdicts: Array<{ dataProduct: string; satisfiesPolicy: boolean; errors: string[] }>;
  /** Data products `GET /me/data-products` returned for the caller; `undefined` when skipped. */
  callerDataProducts: string[] | undefined;
  /** Status and error code of `GET /me/data-products` with an unknown caller token. */
  rejectedCaller: { status: number; code: string | undefined };
}

/**
 * Starts an example app on 127.0.0.1 (any free port), calls its routes over real HTTP — the
 * catalog and Computational Governance as the service, the catalog on behalf of a caller, and
 * once with an unknown caller token to show the 401 — prints what happened and closes everything.
 *
 * @param example - the example service (its framework's name and app)
 * @param options - base URL, service access token, optional caller token, logger, policy
 * @returns counters and results
 * @example
 * ```ts
 * import { runExample } from '@wb/example-support';
 * const result = await runExample(koaExample, {
 *   baseUrl: wb.url,
 *   accessToken: wb.issueAccessToken(),
 *   issueCallerToken: () => wb.issueAccessToken({ subject: 'user:alice' }),
 * });
 * console.log(result.requests, result.exchanges);
 * ```
 */
export async function runExample(
  example: ExampleDefinition,
  options: ExampleRunOptions,
): Promise<ExampleRunResult> {
  const { baseUrl, accessToken, issueCallerToken, log = console.log } = options;
  const policy = options.policy ?? 'require-owner';
  const exchanges = exchangeTally();
  const { listener, close } = example.createApp({
    baseUrl,
    accessToken,
    onEvent: exchanges.onEvent,
  });
  const server = createServer(listener).listen(0, '127.0.0.1');
  let requests = 0;
  try {
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    log(`${example.framework} app listening on ${url}`);
    const call = async (path: string, init?: RequestInit) => {
      requests += 1;
      const response = await fetch(`${url}${path}`, init);
      const body: unknown = await response.json();
      return { status: response.status, body };
    };
    const expectOk = <T>(path: string, answer: { status: number; body: unknown }): T => {
      if (answer.status !== 200) {
        throw new Error(`${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      }
      return answer.body as T;
    };

    const products = expectOk<DataProductSummary[]>('/data-products', await call('/data-products'));
    log(`GET /data-products (service) -> ${products.length} data product(s)`);
    for (const p of products) log(`  - ${p.name} (${p.title}), owner ${p.owner ?? 'none'}`);

    const verdicts: ExampleRunResult['verdicts'] = [];
    for (const product of products) {
      const body = { policy, resource: { name: product.name, owner: product.owner } };
      const verdict = expectOk<{ satisfiesPolicy: boolean; errors?: string[] }>(
        '/policies/validate',
        await call('/policies/validate', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
      );
      const errors = verdict.errors ?? [];
      verdicts.push({
        dataProduct: product.name,
        satisfiesPolicy: verdict.satisfiesPolicy,
        errors,
      });
      const outcome = verdict.satisfiesPolicy ? 'satisfies' : `violates (${errors.join('; ')})`;
      log(`POST /policies/validate (service, CG scope) -> ${product.name} ${outcome} ${policy}`);
    }

    let callerDataProducts: string[] | undefined;
    if (issueCallerToken === undefined) {
      log('GET /me/data-products skipped: no caller access token');
    } else {
      const headers = { [example.callerTokenHeader]: await issueCallerToken() };
      const before = exchanges.total();
      const mine = expectOk<DataProductSummary[]>(
        '/me/data-products',
        await call('/me/data-products', { headers }),
      );
      expectOk('/me/data-products', await call('/me/data-products', { headers }));
      callerDataProducts = mine.map((p) => p.name);
      log(
        `GET /me/data-products x2 (on behalf of the caller) -> ${mine.length} data product(s), ` +
          `${exchanges.total() - before} exchange for the caller`,
      );
    }

    const unknown = `wbat-${randomBytes(27).toString('base64url').slice(0, 35)}`;
    const rejected = await call('/me/data-products', {
      headers: { [example.callerTokenHeader]: unknown },
    });
    const code = (rejected.body as { error?: { code?: string } }).error?.code;
    log(`GET /me/data-products with an unknown caller token -> ${rejected.status} ${code}`);

    log(`${example.framework} app requests: ${requests}, token exchanges: ${exchanges.describe()}`);
    return {
      requests,
      exchanges: exchanges.byScope,
      dataProducts: products.map((p) => p.name),
      verdicts,
      callerDataProducts,
      rejectedCaller: { status: rejected.status, code },
    };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await close();
  }
}
