import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { createApp } from '../src/app.js';

// The example Nest application on a free port, talking to the Witboost emulator over real HTTP.
let wb: WitboostMock;
let app: INestApplication;

async function start(accessToken: string): Promise<string> {
  const env = { WITBOOST_BASE_URL: wb.url, WITBOOST_ACCESS_TOKEN: accessToken };
  app = await createApp({ env });
  await app.listen(0, '127.0.0.1');
  return app.getUrl();
}

beforeEach(async () => {
  wb = await startWitboostMock({ port: 0 });
});

afterEach(async () => {
  await app?.close();
  await wb.close();
});

const validate = (url: string, resource: Record<string, unknown>) =>
  fetch(`${url}/policies/validate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ policy: 'require-owner', resource }),
  });

test('GET /data-products lists the catalog through WitboostAuthService.axios', async () => {
  const url = await start(wb.issueAccessToken());

  const res = await fetch(`${url}/data-products`);

  expect(res.status).toBe(200);
  expect(await res.json()).toEqual([
    { name: 'invoices', title: 'Invoices', owner: 'group:finance' },
    { name: 'campaign-performance', title: 'Campaign Performance', owner: 'group:marketing' },
  ]);
});

test('POST /policies/validate goes through HttpService with a CG-scoped JWT', async () => {
  const url = await start(wb.issueAccessToken());

  const passing = await validate(url, { owner: 'group:finance' });
  const failing = await validate(url, {});

  expect(await passing.json()).toEqual({
    policy: 'require-owner',
    satisfiesPolicy: true,
    errors: [],
  });
  expect(await failing.json()).toMatchObject({ satisfiesPolicy: false });
  expect(wb.stats.exchanges.byScope).toEqual({ 'service:computational-governance': 1 });
});

test('a revoked access token becomes a 502 with its error code and no secret', async () => {
  const accessToken = wb.issueAccessToken();
  wb.revoke(accessToken);
  const url = await start(accessToken);

  for (const res of [await fetch(`${url}/data-products`), await validate(url, {})]) {
    const body = await res.text();
    expect(res.status).toBe(502);
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'access_token_rejected' } });
    expect(body).not.toMatch(/wbat-\w|eyJ/);
  }
});
