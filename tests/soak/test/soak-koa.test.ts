import type { WitboostRequestContext } from '@wb/auth-core';
import { witboostAuth, witboostErrorMapper } from '@wb/auth-koa';
import { listen } from '@wb/middleware-contract';
import Koa from 'koa';
import { describe } from 'vitest';
import { APP_PATHS, callApp } from './support/http.js';
import { expectOk, VALIDATE_BODY } from './support/soak.js';
import { soakAdapter } from './support/soak-adapter.js';

describe('soak: @wb/auth-koa middleware', () => {
  soakAdapter('koa ctx.state.witboost.fetch', async ({ authOptions }) => {
    const middleware = witboostAuth(authOptions);
    let context: WitboostRequestContext | undefined;
    const app = new Koa();
    app.use(witboostErrorMapper());
    app.use(middleware);
    app.use(async (ctx) => {
      const witboost = ctx.state.witboost;
      context ??= witboost;
      const answer =
        ctx.path === APP_PATHS.catalog
          ? await witboost.fetch('/api/catalog/entities')
          : await witboost.fetch('/api/computational-governance/validate', {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(VALIDATE_BODY),
            });
      ctx.status = answer.status;
      ctx.body = await answer.json();
    });
    const server = await listen(app.callback());
    return {
      async request(target) {
        const { status, body } = await callApp(server.url, target);
        await expectOk(target, status, body);
      },
      objects: () => ({ middleware, context, auth: context?.auth }),
      async close() {
        await server.close();
        await middleware.close();
      },
    };
  });
});
