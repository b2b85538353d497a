import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ExampleDefinition } from '../example.js';

const CG = 'service:computational-governance';

/**
 * The example app's routes over real HTTP against the emulator: the service's data products, CG
 * validation with a CG-scoped JWT, on behalf of the caller, and 401/502 answers without secrets.
 *
 * @param example - the example service under test
 * @example
 * ```ts
 * import { describeExampleApp } from '@wb/example-support/testing';
 * describeExampleApp(expressExample);
 * ```
 */
export function describeExampleApp(example: ExampleDefinition): void {
  describe(`the ${example.framework} example app`, () => {
    let wb: WitboostMock;
    let server: Server;
    let url: string;
    let closeApp: () => Promise<void>;

    beforeEach(async () => {
      wb = await startWitboostMock({ port: 0 });
      const { listener, close } = example.createApp({
        baseUrl: wb.url,
        accessToken: wb.issueAccessToken({ subject: 'service-account:example' }),
        refresh: { initialBackoffMs: 1, maxBackoffMs: 5 },
      });
      closeApp = close;
      server = createServer(listener).listen(0, '127.0.0.1');
      await once(server, 'listening');
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterEach(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await closeApp();
      await wb.close();
    });

    const subjects = () =>
      wb.lastRequests.filter((r) => r.path === '/api/catalog/entities').map((r) => r.subject);

    test('GET /data-products lists the data products as the service', async () => {
      const res = await fetch(`${url}/data-products`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual([
        { name: 'invoices', title: 'Invoices', owner: 'group:finance', domain: 'finance' },
        {
          name: 'campaign-performance',
          title: 'Campaign Performance',
          owner: 'group:marketing',
          domain: 'marketing',
        },
      ]);
      expect(subjects()).toEqual(['service-account:example']);
    });

    test('POST /policies/validate forwards the body to CG with a CG-scoped JWT', async () => {
      const validate = (body: unknown) =>
        fetch(`${url}/policies/validate`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const failing = await validate({ policy: 'require-domain', resource: { name: 'x' } });
      expect(failing.status).toBe(200);
      expect(await failing.json()).toEqual({
        policy: 'require-domain',
        satisfiesPolicy: false,
        errors: ['resource has no domain (policy require-domain)'],
      });
      const passing = await validate({ policy: 'require-domain', resource: { domain: 'finance' } });
      expect(await passing.json()).toMatchObject({ satisfiesPolicy: true });
      // CG's own validation errors come through as they are.
      expect((await validate({ resource: {} })).status).toBe(400);
      expect(wb.stats.exchanges.byScope).toEqual({ [CG]: 1 });
    });

    test('GET /me/data-products acts on behalf of the caller, one exchange per caller', async () => {
      const alice = wb.issueAccessToken({ subject: 'user:alice' });
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${url}/me/data-products`, {
          headers: { [example.callerTokenHeader]: alice },
        });
        expect(res.status).toBe(200);
        expect(((await res.json()) as unknown[]).length).toBe(2);
      }
      expect(subjects()).toEqual(['user:alice', 'user:alice', 'user:alice']);
      expect(wb.stats.exchanges.byAccessToken).toEqual({ [`wbat-…${alice.slice(-4)}`]: 1 });
    });

    test('GET /me/data-products without a caller token is a 401 before any exchange', async () => {
      const res = await fetch(`${url}/me/data-products`);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'invalid_access_token' } });
      expect(wb.stats.exchanges.total).toBe(0);
    });

    test('a revoked caller token is a 401, Witboost failing a 502, both without secrets', async () => {
      const alice = wb.issueAccessToken({ subject: 'user:alice' });
      wb.revoke(alice);
      const revoked = await fetch(`${url}/me/data-products`, {
        headers: { [example.callerTokenHeader]: alice },
      });
      expect(revoked.status).toBe(401);
      const revokedText = await revoked.text();
      expect(JSON.parse(revokedText)).toMatchObject({ error: { code: 'access_token_rejected' } });

      wb.faults.failNextExchanges(10, { status: 503 });
      const failing = await fetch(`${url}/data-products`);
      expect(failing.status).toBe(502);
      const failingText = await failing.text();
      expect(JSON.parse(failingText)).toMatchObject({ error: { code: 'server_error' } });
      for (const text of [revokedText, failingText]) expect(text).not.toMatch(/wbat-|eyJ/);
    });
  });
}
