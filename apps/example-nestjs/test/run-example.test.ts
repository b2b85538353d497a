import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { runNestExample } from '../src/run-example.js';

let wb: WitboostMock;
beforeEach(async () => {
  wb = await startWitboostMock({ port: 0 });
});
afterEach(async () => {
  await wb.close();
});

test('lists data products and validates each one through the Nest app, printing no secret', async () => {
  const accessToken = wb.issueAccessToken();
  const lines: string[] = [];

  const result = await runNestExample({ baseUrl: wb.url, accessToken, log: (l) => lines.push(l) });

  expect(result.dataProducts).toEqual(['invoices', 'campaign-performance']);
  expect(result.requests).toBe(1 + result.dataProducts.length);
  expect(result.verdicts.every((v) => v.satisfiesPolicy)).toBe(true);
  expect(result.exchanges).toEqual({ '(none)': 1, 'service:computational-governance': 1 });
  expect(wb.stats.exchanges.total).toBe(2);
  expect(lines[0]).toMatch(/^Nest app listening on http:\/\/127\.0\.0\.1:\d+$/);
  expect(lines).toContain('GET /data-products -> 2 data product(s)');
  expect(lines.at(-1)).toBe(
    'Nest app requests: 3, token exchanges: (none) x1, service:computational-governance x1',
  );
  expect(lines.join('\n')).not.toContain(accessToken);
});

test('reports a policy violation', async () => {
  const result = await runNestExample({
    baseUrl: wb.url,
    accessToken: wb.issueAccessToken(),
    policy: 'require-description',
    log: () => {},
  });
  expect(result.verdicts.map((v) => v.satisfiesPolicy)).toEqual([false, false]);
});

test('fails with the app error code when the access token is revoked, and closes the app', async () => {
  const accessToken = wb.issueAccessToken();
  wb.revoke(accessToken);
  const error = await runNestExample({ baseUrl: wb.url, accessToken, log: () => {} }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(String(error)).toMatch(/GET \/data-products answered 502: .*access_token_rejected/);
  expect(String(error)).not.toContain(accessToken);
});
