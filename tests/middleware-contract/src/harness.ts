import type { IncomingHttpHeaders } from 'node:http';
import type { RequestIdentitiesOptions, WitboostRequestContext } from '@wb/auth-core';
import type { Listening } from './http.js';

/** What a contract route sees of the inbound request. */
export interface ContractRequest {
  headers: IncomingHttpHeaders;
  /** The parsed JSON body of a POST, `undefined` for a GET. */
  body: unknown;
}

/** What a contract route answers: sent as JSON. */
export interface ContractAnswer {
  /** @default 200 */
  status?: number;
  body: unknown;
}

/** A route of the contract's app, written once for every framework. */
export interface ContractRoute {
  method: 'GET' | 'POST';
  path: string;
  /** Called with the context the middleware set (`req.witboost`, `ctx.state.witboost`). */
  handler(witboost: WitboostRequestContext, req: ContractRequest): Promise<ContractAnswer>;
}

/** What the contract needs of a middleware returned by `witboostAuth()`. */
export interface ContractMiddleware {
  readonly name: string;
  readonly identities: number;
  close(): Promise<void>;
}

/**
 * How one adapter runs under one framework major: everything the contract cannot say without
 * naming the framework.
 *
 * @example
 * ```ts
 * import { describeMiddlewareContract, type MiddlewareHarness } from '@wb/middleware-contract';
 * const harness: MiddlewareHarness<Request, WitboostExpressMiddleware> = { … };
 * describeMiddlewareContract(harness);
 * ```
 */
export interface MiddlewareHarness<Req, M extends ContractMiddleware> {
  /** The suite's title, e.g. `'express 5'`. */
  major: string;
  /** The adapter's package name, as its option errors name it, e.g. `'@wb/auth-express'`. */
  packageName: string;
  /** Where handlers find the context, for test titles, e.g. `'req.witboost'`. */
  contextName: string;
  /** The adapter's `witboostAuth`. */
  witboostAuth(options: RequestIdentitiesOptions<Req>): M;
  /** An `identity` option reading the caller's access token from this request header. */
  identityFromHeader(header: string): (req: Req) => string | undefined;
  /**
   * Serves an app on 127.0.0.1 (port 0): `middleware`, then `routes` (JSON bodies parsed), with
   * the adapter's error mapping answering a `WitboostAuthError` with its HTTP problem.
   */
  serve(middleware: M, routes: readonly ContractRoute[]): Promise<Listening>;
}
