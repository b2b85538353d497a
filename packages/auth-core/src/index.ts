export { basicAuthorization, parseBasicAuthorization } from './basic.js';
export { createWitboostAuth } from './create-witboost-auth.js';
export { isWitboostAuthError, WitboostAuthError } from './errors.js';
export { exchangeAccessToken } from './exchange.js';
export { toHttpProblem } from './http-problem.js';
export {
  CREDENTIAL_HEADERS,
  isReplayableBody,
  redirectKeepsCredentials,
  stripCredentialHeaders,
} from './http-rules.js';
export { createIdentityPool } from './identity-pool.js';
export { toWitboostLogger } from './logger-adapter.js';
export { ownOptions } from './options.js';
export { redactSecrets, redactToken } from './redact.js';
export { createRequestIdentities } from './request-identities.js';
export { fromEnv } from './sources/from-env.js';
export { fromFile } from './sources/from-file.js';
export { fromFunction } from './sources/from-function.js';
export type { TokenStore, TokenStoreCallOptions } from './store/token-store.js';
export type * from './types.js';
