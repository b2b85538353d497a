import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { createWitboostAxios } from '@wb/auth-axios';
import { createWitboostAuth, type WitboostAuth } from '@wb/auth-core';
import { witboostAuth as expressAuth } from '@wb/auth-express';
import { witboostAuth as koaAuth } from '@wb/auth-koa';
import { WitboostAuthModule, WitboostAuthService } from '@wb/auth-nestjs';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import express from 'express';
import Koa from 'koa';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { polluted } from './support/pollution.js';
import {
  type AttackerServer,
  closeAttackers,
  credentialed,
  startAttacker,
} from './support/servers.js';

/**
 * `Object.prototype` polluted by some other bug: unchanged options (`{ baseUrl, accessToken }`)
 * must behave exactly as without it, in core and every adapter.
 */
let wb: WitboostMock;
let attacker: AttackerServer;
const foreignFetch = vi.fn(async () => new Response('{"jwt":"x"}'));
const foreignLog = vi.fn();
const toClose: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  wb = await startWitboostMock({ port: 0 });
});
afterAll(async () => {
  await wb.close();
});
afterEach(async () => {
  foreignFetch.mockClear();
  foreignLog.mockClear();
  await Promise.all(toClose.splice(0).map((c) => c.close()));
  await closeAttackers();
});

/** What an attacker would put on `Object.prototype`, core options and adapters' alike. */
function pollution(): Record<string, unknown> {
  return {
    origins: [attacker.url],
    fetch: foreignFetch,
    scopes: [{ pathPrefix: '/', scope: 'evil:scope' }],
    allowInsecureHttp: true,
    mode: 'basic',
    logger: { debug: foreignLog, info: foreignLog, warn: foreignLog, error: foreignLog },
    onEvent: foreignLog,
    identity: () => 'wbat-attacker-chosen-identity-0000000000',
    // Nested options objects and the Nest builder's strategies.
    scope: 'evil:scope',
    origin: attacker.url,
    allowGlobalAxios: true,
    useExisting: 'EvilOptions',
  };
}

/** The checks every path must pass once its objects were created under pollution. */
async function expectUnaffected(auth: Pick<WitboostAuth, 'authorizationFor' | 'fetch'>) {
  await expect(auth.authorizationFor(`${attacker.url}/x`)).resolves.toBeUndefined();
  const header = await auth.authorizationFor(`${wb.url}/api/catalog/entities`);
  expect(header).toMatch(/^Bearer /);
  await (await auth.fetch(`${attacker.url}/y`)).text();
  expect(credentialed(attacker.hits)).toEqual([]);
  expect(foreignFetch).not.toHaveBeenCalled();
  expect(foreignLog).not.toHaveBeenCalled();
  expect(Object.keys(wb.stats.exchanges.byScope)).not.toContain('evil:scope');
}

describe('prototype pollution', () => {
  it('core: createWitboostAuth({ baseUrl, accessToken }) ignores it', async () => {
    attacker = await startAttacker();
    // Requests run after the window: undici itself reads a polluted `mode` into every fetch.
    const auth = await polluted(pollution(), async () =>
      createWitboostAuth({ baseUrl: wb.url, accessToken: wb.issueAccessToken() }),
    );
    toClose.push(auth);
    expect(auth.scopeFor('/api/catalog/entities')).toBeUndefined();
    await expectUnaffected(auth);
  });

  it('core: exchanges and auth.fetch work while fetch init fields are polluted', async () => {
    // undici reads `mode` and `credentials` of an init through its prototype.
    const auth = createWitboostAuth({ baseUrl: wb.url, accessToken: wb.issueAccessToken() });
    toClose.push(auth);
    const before = wb.stats.exchanges.total;
    const status = await polluted({ mode: 'basic', credentials: 'evil' }, async () => {
      await expect(auth.getToken()).resolves.toMatch(/^eyJ/);
      return (await auth.fetch('/api/catalog/entities')).status;
    });
    expect(status).toBe(200);
    expect(wb.stats.exchanges.total).toBe(before + 1);
  });

  it('core: nested options (an origin entry, a scope rule) are read from own properties', async () => {
    attacker = await startAttacker();
    const auth = await polluted(pollution(), async () =>
      createWitboostAuth({
        baseUrl: wb.url,
        accessToken: wb.issueAccessToken(),
        origins: [{ url: 'https://wcg.example.com' }],
        scopes: [{ pathPrefix: '/api/reports', scope: 'service:reports' }],
      }),
    );
    toClose.push(auth);
    expect(auth.scopeFor('https://wcg.example.com/x')).toBeUndefined();
    expect(auth.scopeFor(`${wb.url}/api/reports/1`)).toBe('service:reports');
    await expectUnaffected(auth);
  });

  it('core: a polluted baseUrl or allowInsecureHttp does not stand in for a missing or http one', async () => {
    await polluted({ baseUrl: 'https://evil.example.com', allowInsecureHttp: true }, async () => {
      expect(() => createWitboostAuth({ accessToken: 'wbat-x' } as never)).toThrow(
        /baseUrl is required/,
      );
      expect(() =>
        createWitboostAuth({ baseUrl: 'http://witboost.example.com', accessToken: 'wbat-x' }),
      ).toThrow(/allowInsecureHttp/);
    });
  });

  it('axios: an app started under pollution sends no credential off Witboost', async () => {
    attacker = await startAttacker();
    const fake = {
      authorizationFor: async () => 'Bearer stolen',
      invalidate() {},
      isWitboostUrl: () => true,
    };
    const { auth, client } = await polluted({ ...pollution(), auth: fake }, async () => {
      const created = createWitboostAuth({ baseUrl: wb.url, accessToken: wb.issueAccessToken() });
      return { auth: created, client: createWitboostAxios({ auth: created }) };
    });
    toClose.push(auth);
    await client.get(`${attacker.url}/z`);
    const answer = await client.get('/api/catalog/entities');
    expect(answer.status).toBe(200);
    expect(answer.config.headers.Authorization).toBeUndefined();
    expect(credentialed(attacker.hits)).toEqual([]);
    expect(foreignFetch).not.toHaveBeenCalled();
  });

  it.each([
    ['Express', 'express'],
    ['Koa', 'koa'],
  ])('%s: witboostAuth({ baseUrl, accessToken }) ignores it', async (_name, framework) => {
    attacker = await startAttacker();
    const options = { baseUrl: wb.url, accessToken: wb.issueAccessToken() };
    const middleware = await polluted(pollution(), async () =>
      framework === 'express' ? expressAuth(options) : koaAuth(options),
    );
    toClose.push(middleware);
    const context = await captureContext(framework, middleware);
    await expectUnaffected(context);
    // The service identity, not the polluted `identity`'s token (which would be rejected).
    expect(Object.keys(wb.stats.exchanges.byAccessToken).join()).not.toMatch(/0000$/);
  });

  it.each(['forRoot', 'forRootAsync'] as const)(
    'Nest: WitboostAuthModule.%s ignores it',
    async (variant) => {
      attacker = await startAttacker();
      const options = { baseUrl: wb.url, accessToken: wb.issueAccessToken() };
      const moduleRef = await polluted(pollution(), async () => {
        const imported =
          variant === 'forRoot'
            ? WitboostAuthModule.forRoot(options)
            : WitboostAuthModule.forRootAsync({ useFactory: () => options });
        const ref = await Test.createTestingModule({ imports: [imported] }).compile();
        await ref.init();
        return ref;
      });
      toClose.push(moduleRef);
      await expectUnaffected(moduleRef.get(WitboostAuthService));
    },
  );
});

/** Runs one request through the framework and returns what the middleware gave the handler. */
async function captureContext(
  framework: string,
  middleware: unknown,
): Promise<Pick<WitboostAuth, 'authorizationFor' | 'fetch'>> {
  let context: Pick<WitboostAuth, 'authorizationFor' | 'fetch'> | undefined;
  const server = await new Promise<import('node:http').Server>((resolve) => {
    if (framework === 'express') {
      const app = express();
      app.use(middleware as express.RequestHandler);
      app.get('/', (req, res) => {
        context = req.witboost;
        res.end('ok');
      });
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    } else {
      const app = new Koa();
      app.use(middleware as Koa.Middleware);
      app.use((ctx) => {
        context = ctx.state.witboost;
        ctx.body = 'ok';
      });
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    }
  });
  const { port } = server.address() as import('node:net').AddressInfo;
  await (await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-caller': 'someone' } })).text();
  await new Promise((resolve) => server.close(resolve));
  if (context === undefined) throw new Error('the handler did not run');
  return context;
}
