import { listen } from '@wb/middleware-contract';
import 'reflect-metadata';
import { Controller, Get, Inject, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { createWitboostAxios } from '@wb/auth-axios';
import {
  createWitboostAuth,
  isWitboostAuthError,
  type WitboostAuthOptions,
  type WitboostRequestContext,
} from '@wb/auth-core';
import {
  witboostErrorHandler as expressErrorHandler,
  witboostAuth as expressWitboostAuth,
} from '@wb/auth-express';
import {
  witboostErrorHandler as koaErrorHandler,
  witboostAuth as koaWitboostAuth,
} from '@wb/auth-koa';
import {
  WitboostAuthExceptionFilter,
  WitboostAuthModule,
  type WitboostAuthModuleOptions,
  WitboostAuthService,
} from '@wb/auth-nestjs';
import { isAxiosError } from 'axios';
import express from 'express';
import Koa from 'koa';
import type { LeakCapture } from './capture.js';

/** Header through which the Express/Koa apps let a caller act with its own access token. */
export const CALLER_HEADER = 'x-witboost-access-token';

/** What one call through an adapter produced: an error code (in-process) or an HTTP answer. */
export type Outcome =
  | { kind: 'ok' }
  | { kind: 'error'; code: string | undefined; name: string }
  | { kind: 'http'; status: number; code: string | undefined; retryAfter: string | null };

const silentNestLogger = { log() {}, error() {}, warn() {} };

/** A Nest LoggerService that records what Nest and our exception filter log. */
function nestLogger(capture: LeakCapture, origin: string) {
  const record =
    (level: string) =>
    (...args: unknown[]) =>
      capture.text(`${origin}.nest.${level}`, JSON.stringify(args));
  return {
    log: record('log'),
    error: record('error'),
    warn: record('warn'),
    debug: record('debug'),
    verbose: record('verbose'),
  };
}

/** Options-construction entry points: how each adapter turns core options into an instance. */
export const constructors: Record<
  string,
  (options: WitboostAuthOptions) => Promise<() => Promise<void>>
> = {
  'core createWitboostAuth': async (options) => {
    const auth = createWitboostAuth(options);
    return () => auth.close();
  },
  'express witboostAuth': async (options) => {
    const middleware = expressWitboostAuth(options);
    return () => middleware.close();
  },
  'koa witboostAuth': async (options) => {
    const middleware = koaWitboostAuth(options);
    return () => middleware.close();
  },
  'nestjs forRoot (module init)': async (options) => {
    const moduleRef = await Test.createTestingModule({
      imports: [WitboostAuthModule.forRoot(options as WitboostAuthModuleOptions)],
    })
      .setLogger(silentNestLogger)
      .compile();
    return () => moduleRef.close();
  },
};

/** Runs `fn` and reports the error it threw, for the catalogue's rows. */
export async function outcomeOf(
  fn: () => Promise<unknown>,
  capture: LeakCapture,
  origin: string,
): Promise<Outcome> {
  try {
    await fn();
    return { kind: 'ok' };
  } catch (error) {
    capture.error(origin, error);
    if (isAxiosError(error)) {
      // The adapter's own failure carries core's error as the cause.
      capture.error(`${origin}.cause`, error.cause);
      const cause = error.cause;
      return {
        kind: 'error',
        code: `${error.code}/${isWitboostAuthError(cause) ? cause.code : 'unknown'}`,
        name: error.name,
      };
    }
    return {
      kind: 'error',
      code: isWitboostAuthError(error) ? error.code : undefined,
      name: error instanceof Error ? error.name : typeof error,
    };
  }
}

/** A GET answered by an app, with the mapper's error code and the body captured. */
async function httpOutcome(
  url: string,
  capture: LeakCapture,
  origin: string,
  callerToken?: string,
): Promise<Outcome> {
  const headers: Record<string, string> = {};
  if (callerToken !== undefined) headers[CALLER_HEADER] = callerToken;
  const response = await fetch(`${url}/data-products`, { headers });
  const text = await response.text();
  capture.text(`${origin}.body`, text);
  capture.text(`${origin}.headers`, JSON.stringify([...response.headers]));
  if (response.status === 200) return { kind: 'ok' };
  let code: string | undefined;
  try {
    code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
  } catch {
    code = undefined;
  }
  return {
    kind: 'http',
    status: response.status,
    code,
    retryAfter: response.headers.get('retry-after'),
  };
}

/**
 * {@link httpOutcome} from an app served by `server` through `middleware`; then the middleware and
 * the request context the route saw are captured for the leak hunt, and both are closed.
 */
async function middlewareOutcome(
  server: { url: string; close(): Promise<void> },
  middleware: { close(): Promise<void> },
  contextSeen: () => WitboostRequestContext | undefined,
  capture: LeakCapture,
  origin: string,
  callerToken: string | undefined,
): Promise<Outcome> {
  try {
    return await httpOutcome(server.url, capture, origin, callerToken);
  } finally {
    capture.object(`${origin}.middleware`, middleware);
    capture.object(`${origin}.context`, contextSeen());
    await server.close();
    await middleware.close();
  }
}

/** One request through one adapter, with a fresh instance built from `options`. */
export type RequestPath = (
  options: WitboostAuthOptions,
  capture: LeakCapture,
  origin: string,
  callerToken?: string,
) => Promise<Outcome>;

const catalogPath = '/api/catalog/entities';

export const requestPaths: Record<string, RequestPath> = {
  'core auth.fetch': async (options, capture, origin) => {
    const auth = createWitboostAuth(options);
    try {
      return await outcomeOf(
        async () => {
          const response = await auth.fetch(catalogPath);
          if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
        },
        capture,
        origin,
      );
    } finally {
      capture.object(`${origin}.auth`, auth);
      await auth.close();
    }
  },
  'axios createWitboostAxios': async (options, capture, origin) => {
    const auth = createWitboostAuth(options);
    try {
      return await outcomeOf(() => createWitboostAxios({ auth }).get(catalogPath), capture, origin);
    } finally {
      await auth.close();
    }
  },
  'express middleware + witboostErrorHandler': async (options, capture, origin, callerToken) => {
    const middleware = expressWitboostAuth({
      ...options,
      identity: (req) => req.get(CALLER_HEADER),
    });
    let context: WitboostRequestContext | undefined;
    const app = express();
    app.use(middleware);
    app.get('/data-products', async (req, res, next) => {
      try {
        context = req.witboost;
        const answer = await req.witboost.fetch(catalogPath);
        res.status(answer.status).json(await answer.json());
      } catch (error) {
        next(error);
      }
    });
    app.use(expressErrorHandler());
    return middlewareOutcome(
      await listen(app),
      middleware,
      () => context,
      capture,
      origin,
      callerToken,
    );
  },
  'koa middleware + witboostErrorHandler': async (options, capture, origin, callerToken) => {
    const middleware = koaWitboostAuth({
      ...options,
      identity: (ctx) => {
        const value = ctx.headers[CALLER_HEADER];
        return typeof value === 'string' ? value : undefined;
      },
    });
    let context: WitboostRequestContext | undefined;
    const app = new Koa();
    app.use(koaErrorHandler());
    app.use(middleware);
    app.use(async (ctx) => {
      context = ctx.state.witboost;
      const answer = await ctx.state.witboost.fetch(catalogPath);
      ctx.status = answer.status;
      ctx.body = await answer.json();
    });
    return middlewareOutcome(
      await listen(app.callback()),
      middleware,
      () => context,
      capture,
      origin,
      callerToken,
    );
  },
  'nestjs WitboostAuthService + WitboostAuthExceptionFilter': async (options, capture, origin) => {
    @Controller()
    class CatalogController {
      constructor(@Inject(WitboostAuthService) private readonly witboost: WitboostAuthService) {}
      @Get('data-products')
      async list(): Promise<unknown> {
        const answer = await this.witboost.fetch(catalogPath);
        return answer.json();
      }
    }
    @Module({
      imports: [WitboostAuthModule.forRoot(options)],
      controllers: [CatalogController],
      providers: [{ provide: APP_FILTER, useClass: WitboostAuthExceptionFilter }],
    })
    class AppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .setLogger(silentNestLogger)
      .compile();
    const app = moduleRef.createNestApplication({ logger: nestLogger(capture, origin) });
    await app.listen(0, '127.0.0.1');
    try {
      return await httpOutcome(await app.getUrl(), capture, origin);
    } finally {
      const service = app.get(WitboostAuthService);
      capture.object(`${origin}.service.auth`, service.auth);
      capture.object(`${origin}.service.axios.defaults`, service.axios.defaults);
      await app.close();
    }
  },
};
