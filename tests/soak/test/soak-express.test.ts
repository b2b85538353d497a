import type { WitboostRequestContext } from '@wb/auth-core';
import { witboostAuth, witboostErrorHandler } from '@wb/auth-express';
import express from 'express';
import { describe } from 'vitest';
import { APP_PATHS } from './support/http.js';
import { callWitboost, serveMiddlewareApp } from './support/middleware-soak.js';
import type { Target } from './support/soak.js';
import { soakAdapter } from './support/soak-adapter.js';

describe('soak: @wb/auth-express middleware', () => {
  soakAdapter('express req.witboost.fetch', async ({ authOptions }) => {
    const middleware = witboostAuth(authOptions);
    let context: WitboostRequestContext | undefined;
    const app = express();
    app.use(middleware);
    const route = (target: Target) => {
      app.get(APP_PATHS[target], async (req, res, next) => {
        try {
          if (target === 'catalog') context ??= req.witboost;
          const answer = await callWitboost(req.witboost, target);
          res.status(answer.status).json(await answer.json());
        } catch (error) {
          next(error);
        }
      });
    };
    route('catalog');
    route('validate');
    app.use(witboostErrorHandler());
    return serveMiddlewareApp(app, middleware, () => context);
  });
});
