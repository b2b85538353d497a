import { createWitboostAxios } from '@wb/auth-axios';
import { createWitboostAuth } from '@wb/auth-core';
import { exchangeTally } from '@wb/example-support';

/** Options of {@link runAxiosExample}. */
export interface AxiosExampleOptions {
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

/** A data product's verdict under the validated policy. */
export interface PolicyVerdict {
  dataProduct: string;
  satisfiesPolicy: boolean;
  errors: string[];
}

/** What {@link runAxiosExample} did, for the demo and the tests. */
export interface AxiosExampleResult {
  /** Witboost API requests sent (replays included), token exchanges excluded. */
  requests: number;
  /** Token exchanges, by requested scope (`'(none)'` for the default JWT). */
  exchanges: Record<string, number>;
  /** Names of the data products the catalog listed. */
  dataProducts: string[];
  /** The validated policy id. */
  policy: string;
  verdicts: PolicyVerdict[];
}

interface CatalogEntity {
  metadata: { name: string; title?: string };
  spec?: Record<string, unknown>;
}

interface ValidationResponse {
  satisfiesPolicy: boolean;
  errors?: string[];
}

/**
 * Lists the data products of the catalog, then validates each against a policy through the
 * Computational Governance API (which needs a JWT with its own scope: `@wb/auth-core` exchanges
 * one per scope, `@wb/auth-axios` picks the right one per request).
 *
 * @param options - base URL, access token, logger and policy
 * @returns counters and results, for assertions and the demo
 * @example
 * ```ts
 * import { runAxiosExample } from '@wb/example-axios';
 * const result = await runAxiosExample({ baseUrl: wb.url, accessToken: wb.issueAccessToken() });
 * console.log(result.requests, result.exchanges);
 * ```
 */
export async function runAxiosExample(options: AxiosExampleOptions): Promise<AxiosExampleResult> {
  const { baseUrl, accessToken, log = console.log, policy = 'require-owner' } = options;
  const exchanges = exchangeTally();
  const auth = createWitboostAuth({ baseUrl, accessToken, onEvent: exchanges.onEvent });
  let requests = 0;
  try {
    const witboost = createWitboostAxios({ auth, timeout: 15_000 });
    witboost.interceptors.request.use((config) => {
      requests += 1;
      return config;
    });

    const { data: entities } = await witboost.get<CatalogEntity[]>('/api/catalog/entities', {
      params: { kind: 'DataProduct' },
    });
    log(`Catalog: ${entities.length} data product(s)`);
    for (const entity of entities) {
      log(
        `  - ${entity.metadata.name}${entity.metadata.title ? ` (${entity.metadata.title})` : ''}`,
      );
    }

    const verdicts: PolicyVerdict[] = [];
    for (const entity of entities) {
      const { data } = await witboost.post<ValidationResponse>(
        '/api/computational-governance/validate',
        { policy, resource: entity },
      );
      const errors = data.errors ?? [];
      verdicts.push({
        dataProduct: entity.metadata.name,
        satisfiesPolicy: data.satisfiesPolicy,
        errors,
      });
      const verdict = data.satisfiesPolicy ? 'satisfies' : `violates (${errors.join('; ')})`;
      log(`Governance: ${entity.metadata.name} ${verdict} policy ${policy}`);
    }

    log(`Requests: ${requests}, token exchanges: ${exchanges.describe()}`);
    return {
      requests,
      exchanges: exchanges.byScope,
      dataProducts: entities.map((e) => e.metadata.name),
      policy,
      verdicts,
    };
  } finally {
    await auth.close();
  }
}
