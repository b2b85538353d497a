// The package README's example, kept true by running it.
import { startWitboostMock } from '@wb/witboost-mock';
import { afterAll, beforeAll, expect, test } from 'vitest';

const wb = await startWitboostMock({ port: 0 });
beforeAll(() => wb.resetStats());
afterAll(() => wb.close());

test('exchanges an access token and lists data products with the JWT', async () => {
  const accessToken = wb.issueAccessToken();

  const res = await fetch(`${wb.url}/api/auth/access-tokens/jwt`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ access_token: accessToken, duration_seconds: 600 }),
  });
  const { jwt } = (await res.json()) as { jwt: string };

  const catalog = await fetch(`${wb.url}/api/catalog/entities?kind=DataProduct`, {
    headers: { authorization: `Bearer ${jwt}` },
  });
  expect(catalog.status).toBe(200);
  expect(((await catalog.json()) as unknown[]).length).toBeGreaterThan(0);
  expect(wb.stats.exchanges.ok).toBe(1);
});
