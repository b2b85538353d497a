import { createWitboostAxios } from '@wb/auth-axios';
import { createWitboostAuth, type WitboostAuth } from '@wb/auth-core';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { checkDataProducts } from '../src/app.js';

// checkDataProducts over real HTTP against the Witboost emulator.
let wb: WitboostMock;
let auth: WitboostAuth;

beforeEach(async () => {
  wb = await startWitboostMock({ port: 0 });
  auth = createWitboostAuth({ baseUrl: wb.url, accessToken: wb.issueAccessToken() });
});

afterEach(async () => {
  await auth.close();
  await wb.close();
});

test('validates every data product of the catalog, one JWT per scope', async () => {
  const verdicts = await checkDataProducts(createWitboostAxios({ auth }));

  expect(verdicts).toEqual([
    { dataProduct: 'invoices', satisfiesPolicy: true, errors: [] },
    { dataProduct: 'campaign-performance', satisfiesPolicy: true, errors: [] },
  ]);
  // 1 catalog call + 2 validations, with 2 exchanges: the CG calls need a JWT of their own scope.
  expect(wb.stats.protectedRequests.ok).toBe(3);
  expect(wb.stats.exchanges.byScope).toEqual({
    '(none)': 1,
    'service:computational-governance': 1,
  });
});

test('reports what a policy finds missing', async () => {
  const verdicts = await checkDataProducts(createWitboostAxios({ auth }), 'require-description');

  expect(verdicts.map((v) => v.errors)).toEqual([
    ['resource has no description (policy require-description)'],
    ['resource has no description (policy require-description)'],
  ]);
});

test('a revoked access token rejects with ERR_WITBOOST_AUTH and the cause', async () => {
  const revoked = wb.issueAccessToken({ subject: 'service-account:revoked' });
  wb.revoke(revoked);
  const revokedAuth = createWitboostAuth({ baseUrl: wb.url, accessToken: revoked });

  await expect(checkDataProducts(createWitboostAxios({ auth: revokedAuth }))).rejects.toMatchObject(
    {
      code: 'ERR_WITBOOST_AUTH',
      cause: { code: 'access_token_rejected' },
    },
  );
  await revokedAuth.close();
});
