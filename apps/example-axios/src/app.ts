import type { AxiosInstance } from 'axios';

/** A data product's verdict under a Computational Governance policy. */
export interface PolicyVerdict {
  dataProduct: string;
  satisfiesPolicy: boolean;
  errors: string[];
}

interface CatalogEntity {
  metadata: { name: string };
}

interface ValidationResponse {
  satisfiesPolicy: boolean;
  errors?: string[];
}

/**
 * Lists the catalog's data products, then validates each against `policy` through the
 * Computational Governance API. The two APIs need JWTs of different scopes: the axios instance
 * from `createWitboostAxios` picks the right one for each path, so this code never sees a token.
 *
 * @param witboost - an axios instance from `createWitboostAxios` (or with `attachWitboostAuth`)
 * @param policy - the CG policy id @default 'require-owner'
 * @returns one verdict per data product
 * @example
 * ```ts
 * import { createWitboostAxios } from '@wb/auth-axios';
 * import { createWitboostAuth } from '@wb/auth-core';
 * import { checkDataProducts } from './app.js';
 * const auth = createWitboostAuth({ baseUrl: 'https://witboost.example.com' });
 * console.table(await checkDataProducts(createWitboostAxios({ auth })));
 * ```
 */
export async function checkDataProducts(
  witboost: AxiosInstance,
  policy = 'require-owner',
): Promise<PolicyVerdict[]> {
  const { data: entities } = await witboost.get<CatalogEntity[]>('/api/catalog/entities', {
    params: { kind: 'DataProduct' },
  });
  const verdicts: PolicyVerdict[] = [];
  for (const entity of entities) {
    const { data } = await witboost.post<ValidationResponse>(
      '/api/computational-governance/validate',
      { policy, resource: entity },
    );
    verdicts.push({
      dataProduct: entity.metadata.name,
      satisfiesPolicy: data.satisfiesPolicy,
      errors: data.errors ?? [],
    });
  }
  return verdicts;
}
