import type { WitboostRequestContext } from '@wb/auth-core';
import { witboostAuth, witboostErrorHandler } from '@wb/auth-koa';
import Koa from 'koa';
import { describe } from 'vitest';
import { callWitboost, serveMiddlewareApp, targetOf } from './support/middleware-soak.js';
import { soakAdapter } from './support/soak-adapter.js';

describe('soak: @wb/auth-koa middleware', () => {
  soakAdapter('koa ctx.state.witboost.fetch', async ({ authOptions }) => {
    const middleware = witboostAuth(authOptions);
    let context: WitboostRequestContext | undefined;
    const app = new Koa();
    app.use(witboostErrorHandler());
    app.use(middleware);
    app.use(async (ctx) => {
      const witboost = ctx.state.witboost;
      context ??= witboost;
      const answer = await callWitboost(witboost, targetOf(ctx.path));
      ctx.status = answer.status;
      ctx.body = await answer.json();
    });
    return serveMiddlewareApp(app.callback(), middleware, () => context);
  });
});
