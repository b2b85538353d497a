import { CG_SCOPE, startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { exchange, getCatalog, postExchange, validate } from './helpers.js';

let wb: WitboostMock;
beforeEach(async () => {
  wb = await startWitboostMock({ port: 0 });
});
afterEach(() => wb.close());

test('counts exchanges by outcome, scope and redacted access token', async () => {
  const a = wb.issueAccessToken();
  const b = wb.issueAccessToken();
  await exchange(wb, a);
  await exchange(wb, a, { scope: CG_SCOPE });
  await exchange(wb, b, { scope: CG_SCOPE });
  await postExchange(wb, { access_token: a, duration_seconds: 0 });
  await postExchange(wb, '{not json');

  const { exchanges } = wb.stats;
  expect(exchanges).toEqual({
    total: 5,
    ok: 3,
    failed: 2,
    byScope: { '(none)': 2, [CG_SCOPE]: 2 },
    byAccessToken: { [`wbat-…${a.slice(-4)}`]: 3, [`wbat-…${b.slice(-4)}`]: 1 },
  });
  expect(JSON.stringify(wb.stats)).not.toContain(a);
});

test('counts protected requests by outcome and path', async () => {
  const plain = await exchange(wb, wb.issueAccessToken());
  await getCatalog(wb, `Bearer ${plain}`);
  await getCatalog(wb);
  await validate(wb, `Bearer ${plain}`, { policy: 'require-owner' });
  await validate(wb, `Bearer ${await exchange(wb, wb.issueAccessToken(), { scope: CG_SCOPE })}`, {
    policy: 'require-owner',
  });
  expect(wb.stats.protectedRequests).toEqual({
    total: 4,
    ok: 2,
    unauthorized: 1,
    forbidden: 1,
    byPath: { '/api/catalog/entities': 2, '/api/computational-governance/validate': 2 },
    byStatus: { '200': 2, '401': 1, '403': 1 },
  });
});

test('stats is a snapshot, not a live reference', async () => {
  const before = wb.stats;
  await exchange(wb, wb.issueAccessToken());
  expect(before.exchanges.total).toBe(0);
  expect(wb.stats.exchanges.total).toBe(1);
});

test('lastRequests records scheme, subject and status, never credentials, bounded to 100', async () => {
  const accessToken = wb.issueAccessToken({ subject: 'sa:log' });
  const jwt = await exchange(wb, accessToken);
  await getCatalog(wb, `Bearer ${jwt}`, '?kind=System');
  await getCatalog(wb, 'Basic d2l0Ym9vc3Q6eA==');
  expect(wb.lastRequests).toEqual([
    {
      method: 'POST',
      path: '/api/auth/access-tokens/jwt',
      authScheme: null,
      subject: null,
      status: 200,
    },
    {
      method: 'GET',
      path: '/api/catalog/entities',
      authScheme: 'Bearer',
      subject: 'sa:log',
      status: 200,
    },
    {
      method: 'GET',
      path: '/api/catalog/entities',
      authScheme: 'Basic',
      subject: null,
      status: 401,
    },
  ]);
  expect(JSON.stringify(wb.lastRequests)).not.toMatch(/wbat-|eyJ/);

  await Promise.all(Array.from({ length: 105 }, () => fetch(`${wb.url}/.well-known/jwks.json`)));
  expect(wb.lastRequests).toHaveLength(100);
});

test('resetStats() zeroes counters and the request log, keeps tokens', async () => {
  const accessToken = wb.issueAccessToken();
  await exchange(wb, accessToken);
  wb.resetStats();
  expect(wb.stats.exchanges).toEqual({
    total: 0,
    ok: 0,
    failed: 0,
    byScope: {},
    byAccessToken: {},
  });
  expect(wb.stats.protectedRequests.total).toBe(0);
  expect(wb.lastRequests).toEqual([]);
  await exchange(wb, accessToken);
});
