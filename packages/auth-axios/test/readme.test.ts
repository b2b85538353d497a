import { createWitboostAuth, type WitboostAuth } from '@wb/auth-core';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { createWitboostAxios } from '../src/index.js';

let wb: WitboostMock;
let auth: WitboostAuth;

beforeEach(async () => {
  wb = await startWitboostMock({ port: 0 });
});
afterEach(async () => {
  await auth?.close();
  await wb.close();
});

test('README: list data products and validate a policy', async () => {
  auth = createWitboostAuth({ baseUrl: wb.url, accessToken: wb.issueAccessToken() });
  const witboost = createWitboostAxios({ auth, timeout: 10_000 });

  const { data: products } = await witboost.get<Array<{ metadata: { name: string } }>>(
    '/api/catalog/entities',
    { params: { kind: 'DataProduct' } },
  );
  const { data: result } = await witboost.post('/api/computational-governance/validate', {
    policy: 'require-owner',
    resource: { owner: 'group:finance' },
  });

  expect(products.map((p) => p.metadata.name)).toEqual(['invoices', 'campaign-performance']);
  expect(result).toMatchObject({ policy: 'require-owner', satisfiesPolicy: true });
  expect(witboost.defaults.baseURL).toBe(auth.baseUrl);
});
