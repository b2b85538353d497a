export type { WitboostErrorHandler } from './error-handler.js';
export { witboostErrorHandler } from './error-handler.js';
export type { WitboostKoaMiddleware } from './middleware.js';
export { witboostAuth } from './middleware.js';
export type { WitboostKoaIdentityOptions, WitboostKoaOptions } from './options.js';
