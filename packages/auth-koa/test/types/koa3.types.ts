// Compiled by `pnpm typecheck`, never run: proves `ctx.state.witboost` is typed without a cast
// under @types/koa 3 (`koa2.types.ts` does the same under @types/koa 2).
import type { WitboostRequestContext } from '@wb/auth-core';
import { witboostAuth, witboostErrorHandler } from '@wb/auth-koa';
import Koa from 'koa';

type IsAny<T> = 0 extends 1 & T ? true : false;
declare const auth: WitboostRequestContext['auth'];

const app = new Koa();
app.use(witboostErrorHandler());
app.use(witboostAuth({ auth, identity: (ctx) => ctx.get('x-witboost-access-token') || undefined }));
app.use(async (ctx) => {
  const context: WitboostRequestContext = ctx.state.witboost;
  const notAny: IsAny<typeof ctx.state.witboost> = false;
  // @ts-expect-error the augmentation is precise, not `any`
  ctx.state.witboost.nope;
  const answer: Response = await ctx.state.witboost.fetch('/api/catalog/entities');
  ctx.body = { context: typeof context, notAny, status: answer.status };
});
