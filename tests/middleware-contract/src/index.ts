export { CALLER_HEADER, describeMiddlewareContract } from './contract.js';
export { countingAuth } from './counting-auth.js';
export { type MockFixture, useWitboostMock } from './fixture.js';
export type {
  ContractAnswer,
  ContractMiddleware,
  ContractRequest,
  ContractRoute,
  MiddlewareHarness,
} from './harness.js';
export type { Listening } from './http.js';
export { foreignServer, listen } from './http.js';
