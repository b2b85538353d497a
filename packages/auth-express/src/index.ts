export type { WitboostErrorHandler } from './error-handler.js';
export { witboostErrorHandler } from './error-handler.js';
export type { WitboostExpressMiddleware } from './middleware.js';
export { witboostAuth } from './middleware.js';
export type { WitboostExpressIdentityOptions, WitboostExpressOptions } from './options.js';
