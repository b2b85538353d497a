// Compiled by `pnpm typecheck` with tsconfig.express4.json, where `express` resolves to
// @types/express 4: the adapter and `req.witboost` type-check for Express 4 users too.
import type { WitboostRequestContext } from '@wb/auth-core';
import { witboostAuth, witboostErrorHandler } from '@wb/auth-express';
import express from 'express';

type IsAny<T> = 0 extends 1 & T ? true : false;
declare const auth: WitboostRequestContext['auth'];

const app = express();
app.use(witboostAuth({ auth, identity: (req) => req.get('x-witboost-access-token') }));
app.get('/', (req, res, next) => {
  const context: WitboostRequestContext = req.witboost;
  const notAny: IsAny<typeof req.witboost> = false;
  // @ts-expect-error the augmentation is precise, not `any`
  req.witboost.nope;
  req.witboost
    .getToken({ scope: 'service:computational-governance' })
    .then((jwt: string) => res.json({ context: typeof context, notAny, length: jwt.length }))
    .catch(next);
});
app.use(witboostErrorHandler());
