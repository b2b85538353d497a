export { basicAuthorization, parseBasicAuthorization } from './basic.js';
export { createWitboostAuth } from './create-witboost-auth.js';
export type { WitboostAuthErrorOptions } from './errors.js';
export { isWitboostAuthError, WitboostAuthError } from './errors.js';
export type { ExchangeAccessTokenOptions } from './exchange.js';
export { exchangeAccessToken } from './exchange.js';
export type { ExchangeResult } from './exchange-result.js';
export { toHttpProblem } from './http-problem.js';
export {
  CREDENTIAL_HEADERS,
  isReplayableBody,
  redirectKeepsCredentials,
  stripCredentialHeaders,
} from './http-rules.js';
export { createIdentityPool } from './identity-pool.js';
export type { JwtClaims } from './jwt-claims.js';
export type { MessageLogger, ToWitboostLoggerOptions } from './logger-adapter.js';
export { toWitboostLogger } from './logger-adapter.js';
export { ownOptions } from './options.js';
export { redactSecrets, redactToken } from './redact.js';
export type {
  CallerIdentityOptions,
  RequestIdentities,
  RequestIdentitiesAdapter,
  RequestIdentitiesOptions,
} from './request-identities.js';
export { createRequestIdentities } from './request-identities.js';
export { fromEnv } from './sources/from-env.js';
export type { FromFileOptions } from './sources/from-file.js';
export { fromFile } from './sources/from-file.js';
export type { FromFunctionOptions } from './sources/from-function.js';
export { fromFunction } from './sources/from-function.js';
export type { TokenStore, TokenStoreCallOptions } from './store/token-store.js';
export type {
  TelemetryAttributes,
  TelemetryMeterProvider,
  TelemetryTracerProvider,
} from './telemetry/otel-shapes.js';
export type * from './types.js';
