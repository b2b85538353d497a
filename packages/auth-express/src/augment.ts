import type { WitboostRequestContext } from '@wb/auth-core';

// Express's own types merge into the global `Express.Request` (both @types/express 4 and 5), so
// this is the one augmentation that reaches `req` in every handler without a cast.
declare global {
  namespace Express {
    interface Request {
      /** The Witboost client for this request, set by `witboostAuth()`. */
      witboost: WitboostRequestContext;
    }
  }
}
