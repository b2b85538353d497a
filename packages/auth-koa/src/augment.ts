import type { WitboostRequestContext } from '@wb/auth-core';

// `DefaultState` is Koa's documented extension point for `ctx.state` (koa 2 and 3 types).
declare module 'koa' {
  interface DefaultState {
    /** The Witboost client for this request, set by `witboostAuth()`. */
    witboost: WitboostRequestContext;
  }
}
