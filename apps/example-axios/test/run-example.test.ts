import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { runAxiosExample } from '../src/run-example.js';

let wb: WitboostMock;
beforeEach(async () => {
  wb = await startWitboostMock({ port: 0 });
});
afterEach(async () => {
  await wb.close();
});

test('lists data products and validates each through CG, one exchange per scope', async () => {
  const lines: string[] = [];
  const accessToken = wb.issueAccessToken();

  const result = await runAxiosExample({ baseUrl: wb.url, accessToken, log: (l) => lines.push(l) });

  expect(result).toMatchObject({
    requests: 3,
    exchanges: { '(none)': 1, 'service:computational-governance': 1 },
    dataProducts: ['invoices', 'campaign-performance'],
    policy: 'require-owner',
  });
  expect(result.verdicts.every((v) => v.satisfiesPolicy)).toBe(true);
  expect(wb.stats.exchanges.byScope).toEqual(result.exchanges);
  expect(wb.stats.protectedRequests.ok).toBe(3);
  expect(lines.join('\n')).toContain('Governance: invoices satisfies policy require-owner');
  expect(lines.join('\n')).not.toContain(accessToken);
});

test('reports a policy violation readably', async () => {
  const lines: string[] = [];

  const result = await runAxiosExample({
    baseUrl: wb.url,
    accessToken: wb.issueAccessToken(),
    log: (l) => lines.push(l),
    policy: 'require-description',
  });

  expect(result.verdicts.map((v) => v.satisfiesPolicy)).toEqual([false, false]);
  expect(lines).toContain(
    'Governance: invoices violates (resource has no description (policy require-description)) policy require-description',
  );
});
