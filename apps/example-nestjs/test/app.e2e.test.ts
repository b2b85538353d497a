import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.js';

const CG_SCOPE = 'service:computational-governance';
let wb: WitboostMock;
let app: INestApplication | undefined;

beforeAll(async () => {
  wb = await startWitboostMock({ port: 0 });
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  wb.resetStats();
});
afterAll(async () => {
  await wb.close();
});

async function start(accessToken: string): Promise<string> {
  app = await NestFactory.create(
    AppModule.register({ env: { WITBOOST_BASE_URL: wb.url, WITBOOST_ACCESS_TOKEN: accessToken } }),
    { logger: false },
  );
  await app.listen(0, '127.0.0.1');
  return app.getUrl();
}

function validate(url: string, resource: Record<string, unknown>): Promise<Response> {
  return fetch(`${url}/policies/validate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ policy: 'require-owner', resource }),
  });
}

describe('example Nest app over HTTP', () => {
  it('GET /data-products lists the catalog data products', async () => {
    const url = await start(wb.issueAccessToken());
    const response = await fetch(`${url}/data-products`);
    expect(response.status).toBe(200);
    const products = (await response.json()) as Array<{ name: string; owner?: string }>;
    expect(products.map((p) => p.name)).toEqual(
      expect.arrayContaining(['invoices', 'campaign-performance']),
    );
    expect(products.every((p) => typeof p.owner === 'string')).toBe(true);
  });

  it('POST /policies/validate goes through HttpService with a CG-scoped JWT', async () => {
    const url = await start(wb.issueAccessToken());
    const ok = await validate(url, { owner: 'group:finance' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ policy: 'require-owner', satisfiesPolicy: true, errors: [] });
    const violation = await validate(url, {});
    expect(await violation.json()).toMatchObject({ satisfiesPolicy: false });
    expect(wb.stats.exchanges.byScope).toEqual({ [CG_SCOPE]: 1 });
    expect(wb.stats.protectedRequests.forbidden).toBe(0);
  });

  it('a revoked access token becomes a 502 with the error code and no secret', async () => {
    const accessToken = wb.issueAccessToken();
    wb.revoke(accessToken);
    const url = await start(accessToken);
    for (const response of [await fetch(`${url}/data-products`), await validate(url, {})]) {
      const text = await response.text();
      expect(response.status).toBe(502);
      expect(JSON.parse(text)).toMatchObject({ error: { code: 'access_token_rejected' } });
      expect(text).not.toContain(accessToken);
      expect(text).not.toMatch(/eyJ[\w-]+\./);
    }
  });
});
