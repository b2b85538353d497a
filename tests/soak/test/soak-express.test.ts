import type { WitboostRequestContext } from '@wb/auth-core';
import { witboostAuth, witboostErrorHandler } from '@wb/auth-express';
import { listen } from '@wb/middleware-contract';
import express from 'express';
import { describe } from 'vitest';
import { APP_PATHS, callApp } from './support/http.js';
import { expectOk, VALIDATE_BODY } from './support/soak.js';
import { soakAdapter } from './support/soak-adapter.js';

describe('soak: @wb/auth-express middleware', () => {
  soakAdapter('express req.witboost.fetch', async ({ authOptions }) => {
    const middleware = witboostAuth(authOptions);
    let context: WitboostRequestContext | undefined;
    const app = express();
    app.use(middleware);
    app.get(APP_PATHS.catalog, async (req, res, next) => {
      try {
        context ??= req.witboost;
        const answer = await req.witboost.fetch('/api/catalog/entities');
        res.status(answer.status).json(await answer.json());
      } catch (error) {
        next(error);
      }
    });
    app.get(APP_PATHS.validate, async (req, res, next) => {
      try {
        const answer = await req.witboost.fetch('/api/computational-governance/validate', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(VALIDATE_BODY),
        });
        res.status(answer.status).json(await answer.json());
      } catch (error) {
        next(error);
      }
    });
    app.use(witboostErrorHandler());
    const server = await listen(app);
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
