export type { WitboostErrorMapper } from './error-mapper.js';
export { witboostErrorMapper } from './error-mapper.js';
export type { WitboostKoaMiddleware } from './middleware.js';
export { witboostAuth } from './middleware.js';
export type { WitboostKoaIdentityOptions, WitboostKoaOptions } from './options.js';
