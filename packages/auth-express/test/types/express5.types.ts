// Compiled by `pnpm typecheck`, never run: proves `req.witboost` is typed without a cast under
// @types/express 5 (`express4.types.ts` does the same under @types/express 4).
import type { WitboostRequestContext } from '@wb/auth-core';
import { witboostAuth, witboostErrorHandler } from '@wb/auth-express';
import express from 'express';

type IsAny<T> = 0 extends 1 & T ? true : false;
declare const auth: WitboostRequestContext['auth'];

const app = express();
app.use(witboostAuth({ auth, identity: (req) => req.get('x-witboost-access-token') }));
app.get('/', async (req, res) => {
  const context: WitboostRequestContext = req.witboost;
  const notAny: IsAny<typeof req.witboost> = false;
  // @ts-expect-error the augmentation is precise, not `any`
  req.witboost.nope;
  const answer: Response = await req.witboost.fetch('/api/catalog/entities');
  res.json({ context: typeof context, notAny, status: answer.status });
});
app.use(witboostErrorHandler());
