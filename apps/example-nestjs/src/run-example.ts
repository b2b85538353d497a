import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { exchangeTally } from '@wb/example-support';
import { AppModule } from './app.module.js';
import type {
  DataProductSummary,
  ValidateRequest,
  ValidateResponse,
} from './witboost.controller.js';

/** Options of {@link runNestExample}. */
export interface NestExampleOptions {
  /** Witboost base URL, e.g. `https://witboost.example.com` or the emulator's `wb.url`. */
  baseUrl: string;
  /** Access token (`wbat-…`) of a service account or a PAT. Never printed. */
  accessToken: string;
  /** Where the readable report goes, one line per call. @default console.log */
  log?: (line: string) => void;
  /**
   * Computational Governance policy to validate each data product against.
   * @default 'require-owner'
   */
  policy?: string;
}

/** What {@link runNestExample} did, for the demo and the tests. */
export interface NestExampleResult {
  /** HTTP requests made to the Nest app's own routes. */
  requests: number;
  /** Token exchanges the app made, by requested scope (`'(none)'` for the default JWT). */
  exchanges: Record<string, number>;
  /** Names of the data products `GET /data-products` returned. */
  dataProducts: string[];
  /** The validated policy id. */
  policy: string;
  /** Verdict per data product. */
  verdicts: Array<{ dataProduct: string; satisfiesPolicy: boolean; errors: string[] }>;
}

async function callJson<T>(
  app: INestApplication,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${await app.getUrl()}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const payload: unknown = await response.json();
  if (!response.ok) {
    throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(payload)}`);
  }
  return payload as T;
}

/**
 * Boots the example Nest application on 127.0.0.1 (any free port), calls its two routes over real
 * HTTP (`GET /data-products`, then `POST /policies/validate` for each data product), prints what
 * happened and closes the application.
 *
 * @param options - base URL, access token, logger and policy
 * @returns counters and results, for assertions and the demo
 * @example
 * ```ts
 * import { runNestExample } from '@wb/example-nestjs';
 * const result = await runNestExample({ baseUrl: wb.url, accessToken: wb.issueAccessToken() });
 * console.log(result.requests, result.exchanges);
 * ```
 */
export async function runNestExample(options: NestExampleOptions): Promise<NestExampleResult> {
  const { baseUrl, accessToken, log = console.log, policy = 'require-owner' } = options;
  const exchanges = exchangeTally();
  const app = await NestFactory.create(
    AppModule.register({
      env: { WITBOOST_BASE_URL: baseUrl, WITBOOST_ACCESS_TOKEN: accessToken },
      onEvent: exchanges.onEvent,
    }),
    { logger: false },
  );
  let requests = 0;
  try {
    await app.listen(0, '127.0.0.1');
    log(`Nest app listening on ${await app.getUrl()}`);

    const products = await callJson<DataProductSummary[]>(app, 'GET', '/data-products');
    requests += 1;
    log(`GET /data-products -> ${products.length} data product(s)`);
    for (const product of products) {
      log(`  - ${product.name} (${product.title}), owner ${product.owner ?? 'none'}`);
    }

    const verdicts: NestExampleResult['verdicts'] = [];
    for (const product of products) {
      const request: ValidateRequest = {
        policy,
        resource: { name: product.name, owner: product.owner, domain: product.domain },
      };
      const verdict = await callJson<ValidateResponse>(app, 'POST', '/policies/validate', request);
      requests += 1;
      verdicts.push({
        dataProduct: product.name,
        satisfiesPolicy: verdict.satisfiesPolicy,
        errors: verdict.errors,
      });
      const outcome = verdict.satisfiesPolicy
        ? 'satisfies'
        : `violates (${verdict.errors.join('; ')})`;
      log(`POST /policies/validate -> ${product.name} ${outcome} policy ${policy}`);
    }

    log(`Nest app requests: ${requests}, token exchanges: ${exchanges.describe()}`);
    return {
      requests,
      exchanges: exchanges.byScope,
      dataProducts: products.map((p) => p.name),
      policy,
      verdicts,
    };
  } finally {
    await app.close();
  }
}
