import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultState } from './faults.js';
import type { JwtIssuer } from './jwt-issuer.js';
import type { StatsRecorder } from './stats.js';
import type { TokenStore } from './token-store.js';

/** Everything a route handler needs; one per emulator. */
export interface MockContext {
  readonly basicAuth: boolean;
  readonly defaultDurationSeconds: number;
  /** The `iss` to issue and require (known once the server listens). */
  readonly issuer: string;
  readonly tokens: TokenStore;
  readonly jwt: JwtIssuer;
  readonly faults: FaultState;
  readonly stats: StatsRecorder;
  /** The server's clock, clock skew included, in milliseconds. */
  now(): number;
  /** Waits `ms`, or less if the emulator closes meanwhile. */
  sleep(ms: number): Promise<void>;
  readonly closed: boolean;
}

/** Per-request details shared between the router and the request log. */
export interface RequestInfo {
  path: string;
  query: URLSearchParams;
  /** Authenticated subject, set by protected handlers for the request log. */
  subject: string | null;
}

export type RouteHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  ctx: MockContext,
  info: RequestInfo,
) => Promise<void> | void;
