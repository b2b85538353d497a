import { listen } from '@wb/middleware-contract';
// Leak hunt over our objects and the errors of the bad-input cases: util.inspect (depth 5) and
// JSON.stringify of everything of ours a user may log, plus every log line and event, must hold
// no access token and no JWT. (The soak files run the same hunt over what the soak produced.)
import 'reflect-metadata';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { Test } from '@nestjs/testing';
import { createWitboostAxios } from '@wb/auth-axios';
import {
  createIdentityPool,
  createWitboostAuth,
  exchangeAccessToken,
  fromEnv,
  fromFile,
  fromFunction,
  isWitboostAuthError,
  toHttpProblem,
  type WitboostAuthOptions,
} from '@wb/auth-core';
import { witboostAuth as expressWitboostAuth } from '@wb/auth-express';
import { witboostAuth as koaWitboostAuth } from '@wb/auth-koa';
import {
  WITBOOST_AUTH_MODULE_OPTIONS,
  WitboostAuthModule,
  WitboostAuthService,
} from '@wb/auth-nestjs';
import { CG_SCOPE, startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { isAxiosError } from 'axios';
import express from 'express';
import Koa from 'koa';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLeakCapture, type LeakCapture } from './support/capture.js';
import { CALLER_HEADER } from './support/paths.js';
import { sniffingFetch } from './support/soak.js';

let wb: WitboostMock;
let capture: LeakCapture;
let token: string;

beforeAll(async () => {
  wb = await startWitboostMock({ port: 0, basicAuth: true });
});
beforeEach(() => {
  capture = createLeakCapture();
  token = wb.issueAccessToken();
  capture.secret(token);
  wb.faults.reset();
});
afterAll(() => wb.close());

const options = (extra: Partial<WitboostAuthOptions> = {}): WitboostAuthOptions => ({
  baseUrl: wb.url,
  accessToken: token,
  fetch: sniffingFetch(capture),
  logger: capture.logger,
  onEvent: capture.onEvent,
  ...extra,
});

/** The hunt's verdict for one test: something was captured, and none of it is a secret. */
function expectNoLeak(minimumCaptured: number): void {
  expect(capture.size).toBeGreaterThanOrEqual(minimumCaptured);
  expect(capture.leaks()).toEqual([]);
}

async function rejection(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('leak hunt: objects of @wb/auth-core', () => {
  it('exchange results (inspect, JSON, spread, keys)', async () => {
    for (const scope of [undefined, CG_SCOPE]) {
      const result = await exchangeAccessToken({ baseUrl: wb.url, accessToken: token, scope });
      capture.secret(result.jwt);
      capture.object(`exchange.${scope}`, result);
      capture.object(`exchange.${scope}.spread`, { ...result });
      capture.text(`exchange.${scope}.keys`, Object.keys(result).join(','));
      capture.text(`exchange.${scope}.String`, String(result));
      expect(result.jwt).toMatch(/^eyJ/);
    }
    expectNoLeak(8);
  });

  it('token sources after they read the token', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wb-soak-'));
    try {
      const file = join(dir, 'token');
      await writeFile(file, `${token}\n`);
      process.env.WB_SOAK_LEAK_TOKEN = token;
      const sources = {
        fromEnv: fromEnv('WB_SOAK_LEAK_TOKEN'),
        fromFile: fromFile(file),
        fromFunction: fromFunction(async () => token, { cacheMs: 60_000, description: 'vault' }),
      };
      for (const [name, source] of Object.entries(sources)) {
        expect(await source.getAccessToken()).toBe(token);
        capture.object(name, source);
        await source.close?.();
      }
    } finally {
      delete process.env.WB_SOAK_LEAK_TOKEN;
      await rm(dir, { recursive: true, force: true });
    }
    expectNoLeak(6);
  });

  it('auth instances (bearer, basic, caller child) and identity-pool contexts after use', async () => {
    const bearer = createWitboostAuth(options());
    const basic = createWitboostAuth(options({ mode: 'basic' }));
    const caller = wb.issueAccessToken();
    capture.secret(caller);
    const pool = createIdentityPool(bearer);
    try {
      expect((await bearer.fetch('/api/catalog/entities')).status).toBe(200);
      expect(await bearer.getToken({ scope: CG_SCOPE })).toMatch(/^eyJ/);
      expect(await basic.authorizationFor('/api/catalog/entities')).toMatch(/^Basic /);
      const child = bearer.withAccessToken(caller);
      expect((await child.fetch('/api/catalog/entities')).status).toBe(200);
      const callerContext = pool.contextFor(caller);
      expect((await callerContext.fetch('/api/catalog/entities')).status).toBe(200);
      const objects = {
        bearer,
        basic,
        child,
        pool,
        serviceContext: pool.contextFor(),
        callerContext,
      };
      for (const [name, value] of Object.entries(objects)) capture.object(name, value);
      await child.close();
    } finally {
      await pool.close();
      await bearer.close();
      await basic.close();
    }
    expectNoLeak(12);
  });

  it('401 replay: the invalidated JWT appears in no event or log', async () => {
    const auth = createWitboostAuth(options());
    try {
      const jwt = await auth.getToken();
      wb.faults.rejectJwt(jwt);
      expect((await auth.fetch('/api/catalog/entities')).status).toBe(200);
      expect(capture.events.map((e) => e.type)).toContain('replay_after_401');
    } finally {
      await auth.close();
    }
    expectNoLeak(4);
  });
});

describe('leak hunt: errors of bad-input cases', () => {
  it('sources that throw, hang up or return garbage carrying the token', async () => {
    const jwt = (await exchangeAccessToken({ baseUrl: wb.url, accessToken: token })).jwt;
    capture.secret(jwt);
    const sources = [
      fromFunction(async () => {
        throw new Error(`vault refused ${token} (last JWT ${jwt})`);
      }),
      fromFunction(async () => {
        throw Object.assign(new Error('wrapped'), { cause: new Error(`inner ${token}`) });
      }),
      fromFunction(async () => `${token} ${token}`),
      fromFunction(async () => ({ token }) as unknown as string),
    ];
    for (const [index, source] of sources.entries()) {
      const auth = createWitboostAuth(options({ accessToken: source }));
      const error = await rejection(auth.getToken());
      expect(isWitboostAuthError(error)).toBe(true);
      capture.error(`source-${index}`, error);
      capture.object(`source-${index}.problem`, toHttpProblem(error as never));
      await auth.close();
    }
    expectNoLeak(16);
  });

  it('revoked token, closed instance and caller rejection errors with their HTTP problems', async () => {
    const auth = createWitboostAuth(options({ refresh: { maxAttempts: 1 } }));
    wb.revoke(token);
    const errors = {
      revoked: await rejection(auth.getToken()),
      child: await rejection(auth.withAccessToken(`${token}x`).getToken()),
    };
    await auth.close();
    Object.assign(errors, { closed: await rejection(auth.fetch('/api/catalog/entities')) });
    for (const [name, error] of Object.entries(errors)) {
      expect(isWitboostAuthError(error)).toBe(true);
      capture.error(name, error);
      capture.object(`${name}.problem`, toHttpProblem(error as never));
    }
    expectNoLeak(15);
  });

  it('axios: the ERR_WITBOOST_AUTH error in full, and a Witboost 404 in full', async () => {
    const auth = createWitboostAuth(options({ refresh: { maxAttempts: 1 } }));
    const client = createWitboostAxios({ auth });
    try {
      const notFound = await rejection(client.get('/api/no-such-endpoint'));
      expect(isAxiosError(notFound) && notFound.response?.status).toBe(404);
      // The whole AxiosError (message, String, JSON, util.inspect depth 5, request internals
      // included) and the config the adapter cleans.
      capture.error('404', notFound);
      if (isAxiosError(notFound)) capture.object('404.config', notFound.config);
      wb.revoke(token);
      await auth.close();
      const fresh = createWitboostAuth(options({ refresh: { maxAttempts: 1 } }));
      const rejected = await rejection(
        createWitboostAxios({ auth: fresh }).get('/api/catalog/entities'),
      );
      expect(isAxiosError(rejected) && rejected.code).toBe('ERR_WITBOOST_AUTH');
      capture.error('rejected', rejected);
      await fresh.close();
    } finally {
      await auth.close();
    }
    expectNoLeak(11);
  });
});

describe('leak hunt: adapter objects', () => {
  it('express and koa middlewares and their per-request contexts, service and caller', async () => {
    const caller = wb.issueAccessToken();
    capture.secret(caller);
    const expressMiddleware = expressWitboostAuth({
      ...options(),
      identity: (req) => req.get(CALLER_HEADER),
    });
    const koaMiddleware = koaWitboostAuth({
      ...options(),
      identity: (ctx) => ctx.get(CALLER_HEADER) || undefined,
    });
    const contexts: Record<string, unknown> = {};
    const app = express();
    app.use(expressMiddleware);
    app.get('/x', async (req, res) => {
      contexts[`express.${req.get(CALLER_HEADER) ? 'caller' : 'service'}`] = req.witboost;
      const answer = await req.witboost.fetch('/api/catalog/entities');
      res.status(answer.status).end();
    });
    const koa = new Koa();
    koa.use(koaMiddleware);
    koa.use(async (ctx) => {
      contexts[`koa.${ctx.get(CALLER_HEADER) ? 'caller' : 'service'}`] = ctx.state.witboost;
      const answer = await ctx.state.witboost.fetch('/api/catalog/entities');
      ctx.status = answer.status;
    });
    const servers = [await listen(app), await listen(koa.callback())];
    try {
      for (const server of servers) {
        for (const headers of [{}, { [CALLER_HEADER]: caller }] as Record<string, string>[]) {
          expect((await fetch(`${server.url}/x`, { headers })).status).toBe(200);
        }
      }
      expect(Object.keys(contexts)).toHaveLength(4);
      capture.object('express.middleware', expressMiddleware);
      capture.object('koa.middleware', koaMiddleware);
      for (const [name, context] of Object.entries(contexts)) capture.object(name, context);
    } finally {
      await Promise.all(servers.map((server) => server.close()));
      await expressMiddleware.close();
      await koaMiddleware.close();
    }
    expectNoLeak(12);
  });

  it('nestjs: the service, its core instance and axios defaults, and the injected options', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [WitboostAuthModule.forRoot(options())],
    })
      .setLogger({ log() {}, error() {}, warn() {} })
      .compile();
    await moduleRef.init();
    try {
      const service = moduleRef.get(WitboostAuthService);
      expect((await service.fetch('/api/catalog/entities')).status).toBe(200);
      expect((await service.axios.get('/api/catalog/entities')).status).toBe(200);
      capture.secret(await service.getToken());
      capture.object('nest.service', service);
      capture.text(
        'nest.service.inspect.hidden',
        inspect(service, { depth: 10, showHidden: true }),
      );
      capture.object('nest.service.auth', service.auth);
      capture.object('nest.service.axios.defaults', service.axios.defaults);
      // forRoot's options provider is the module's copy (Nest's builder strips `isGlobal`).
      const moduleOptions = moduleRef.get(WITBOOST_AUTH_MODULE_OPTIONS);
      capture.object('nest.options', moduleOptions);
      capture.text(
        'nest.options.inspect.hidden',
        inspect(moduleOptions, { depth: 10, showHidden: true }),
      );
    } finally {
      await moduleRef.close();
    }
    expectNoLeak(10);
  });
});
