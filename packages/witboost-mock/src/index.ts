export { CG_SCOPE, EXCHANGE_PATH, JWKS_PATH } from './constants.js';
export { startWitboostMock } from './start-witboost-mock.js';
export type {
  ExchangeFailure,
  ExchangeStats,
  IssueAccessTokenOptions,
  ProtectedRequestStats,
  RecordedRequest,
  WitboostMock,
  WitboostMockFaults,
  WitboostMockOptions,
  WitboostMockStats,
} from './types.js';
