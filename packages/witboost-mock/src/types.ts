import type { JSONWebKeySet } from 'jose';

/**
 * Options of {@link startWitboostMock}.
 *
 * @example
 * ```ts
 * import { startWitboostMock } from '@wb/witboost-mock';
 * const wb = await startWitboostMock({ port: 0, basicAuth: true, defaultDurationSeconds: 60 });
 * ```
 */
export interface WitboostMockOptions {
  /**
   * TCP port to listen on; `0` picks any free port (read it back from `url`).
   * @default 0
   */
  port?: number;
  /**
   * Interface to bind. Keep it on loopback: the admin endpoints have no authentication.
   * @default '127.0.0.1'
   */
  host?: string;
  /**
   * Accept `Authorization: Basic base64("witboost:<access token>")` on the protected endpoints.
   * Off by default, as on a real installation.
   * @default false
   */
  basicAuth?: boolean;
  /**
   * JWT lifetime when an exchange request carries no `duration_seconds`.
   * @default 300
   */
  defaultDurationSeconds?: number;
  /**
   * `iss` claim of the issued JWTs (and the issuer the protected endpoints require).
   * @default the emulator's `url`
   */
  issuer?: string;
}

/**
 * Options of {@link WitboostMock.issueAccessToken}.
 *
 * @example
 * ```ts
 * import { startWitboostMock } from '@wb/witboost-mock';
 * const token = wb.issueAccessToken({ subject: 'user:alice', expiresInSeconds: 3600 });
 * ```
 */
export interface IssueAccessTokenOptions {
  /**
   * Lifetime of the access token in seconds; omit for a token that never expires.
   * @default undefined (no expiry)
   */
  expiresInSeconds?: number;
  /**
   * Account the token belongs to; the JWT `sub`. One active token per subject: issuing a new one
   * revokes the previous, as Witboost does.
   * @default a fresh `service-account:demo-<n>`
   */
  subject?: string;
}

/**
 * What {@link WitboostMockFaults.failNextExchanges} answers with.
 *
 * @example
 * ```ts
 * import { startWitboostMock } from '@wb/witboost-mock';
 * wb.faults.failNextExchanges(2, { status: 429, retryAfterSeconds: 1 });
 * ```
 */
export interface ExchangeFailure {
  /** HTTP status to answer with, e.g. 429 or 503. */
  status: number;
  /** Sent as the `Retry-After` header when set. */
  retryAfterSeconds?: number;
  /**
   * Response body: an object or array is sent as JSON, a string as `text/plain`.
   * @default `{ "error": { "message": "Injected fault: HTTP <status>" } }`
   */
  body?: unknown;
  /** Extra response headers, e.g. `{ 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }`. */
  headers?: Record<string, string>;
}

/**
 * Fault injection knobs; every call takes effect on the next request.
 *
 * @example
 * ```ts
 * import { startWitboostMock } from '@wb/witboost-mock';
 * wb.faults.setExchangeLatency(200);
 * wb.faults.dropNextExchanges(1);
 * wb.faults.setClockSkew(-3 * 3600);
 * wb.faults.reset();
 * ```
 */
export interface WitboostMockFaults {
  /**
   * Answer the next `count` exchange requests with an error instead of a JWT. Queued after any
   * fault already pending, so `failNextExchanges` and `dropNextExchanges` can be scripted in order.
   * @param count - how many exchanges to fail (integer >= 0)
   * @param failure - status, optional `Retry-After` seconds, body and headers
   */
  failNextExchanges(count: number, failure: ExchangeFailure): void;
  /**
   * Destroy the socket of the next `count` exchange requests without answering.
   * @param count - how many exchanges to drop (integer >= 0)
   */
  dropNextExchanges(count: number): void;
  /**
   * Delay every exchange response (faulted or not) by `ms` milliseconds; `0` turns it off.
   * @param ms - delay in milliseconds
   */
  setExchangeLatency(ms: number): void;
  /**
   * Shift the server's clock by `seconds` (positive = ahead). Issued `iat`/`exp` and the
   * server's own expiry checks use the shifted clock, so a client that trusts its wall clock
   * over the JWT lifetime fails visibly.
   * @param seconds - offset in seconds
   */
  setClockSkew(seconds: number): void;
  /**
   * Make the protected endpoints answer 401 for this JWT, as if the platform had invalidated it.
   * @param jwt - the compact JWT to reject
   */
  rejectJwt(jwt: string): void;
  /** Clear every fault: pending failures and drops, latency, clock skew and rejected JWTs. */
  reset(): void;
}

/**
 * Counters of the exchange endpoint.
 *
 * @example
 * ```ts
 * import { startWitboostMock } from '@wb/witboost-mock';
 * const { total, byScope } = wb.stats.exchanges;
 * ```
 */
export interface ExchangeStats {
  /** Requests received by the exchange endpoint, whatever their outcome. */
  total: number;
  /** Exchanges answered with a JWT. */
  ok: number;
  /** Exchanges answered with an error or dropped. */
  failed: number;
  /** Requests by normalised requested scope; `'(none)'` when no scope was asked. */
  byScope: Record<string, number>;
  /** Requests by redacted access token id (`wbat-…abcd`). Never the raw token. */
  byAccessToken: Record<string, number>;
}

/**
 * Counters of the protected sample endpoints (catalog, governance).
 *
 * @example
 * ```ts
 * import { startWitboostMock } from '@wb/witboost-mock';
 * const { ok, unauthorized, forbidden } = wb.stats.protectedRequests;
 * ```
 */
export interface ProtectedRequestStats {
  total: number;
  /** Answered 2xx. */
  ok: number;
  /** Answered 401. */
  unauthorized: number;
  /** Answered 403 (e.g. a JWT without the Computational Governance scope). */
  forbidden: number;
  /** Requests by path (without query string). */
  byPath: Record<string, number>;
  /** Requests by response status, as a string key (`'200'`, `'401'`, …). */
  byStatus: Record<string, number>;
}

/**
 * A snapshot of the emulator's counters.
 *
 * @example
 * ```ts
 * import { startWitboostMock } from '@wb/witboost-mock';
 * const before = wb.stats.exchanges.total;
 * await callWitboost();
 * expect(wb.stats.exchanges.total - before).toBe(1);
 * ```
 */
export interface WitboostMockStats {
  exchanges: ExchangeStats;
  protectedRequests: ProtectedRequestStats;
}

/**
 * One request seen by the emulator, without any secret.
 *
 * @example
 * ```ts
 * import { startWitboostMock } from '@wb/witboost-mock';
 * expect(wb.lastRequests.at(-1)).toMatchObject({ authScheme: 'Bearer', status: 200 });
 * ```
 */
export interface RecordedRequest {
  method: string;
  /** Path without query string. */
  path: string;
  /** Scheme of the `Authorization` header, `'Other'` for any other scheme, `null` when absent. */
  authScheme: 'Bearer' | 'Basic' | 'Other' | null;
  /** Authenticated subject on protected endpoints, else `null`. */
  subject: string | null;
  /** Response status, `null` when the connection was dropped. */
  status: number | null;
}

/**
 * A running emulator, returned by {@link startWitboostMock}.
 *
 * @example
 * ```ts
 * import { startWitboostMock } from '@wb/witboost-mock';
 * await using wb = await startWitboostMock({ port: 0 });
 * const accessToken = wb.issueAccessToken();
 * console.log(wb.url, wb.stats.exchanges.total);
 * ```
 */
export interface WitboostMock {
  /** Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  readonly url: string;
  /** The port actually bound. */
  readonly port: number;
  /**
   * Create an access token (`wbat-` + 35 base64url characters). Issuing a token for a subject
   * revokes that subject's previous token.
   * @param options - lifetime and subject
   * @returns the new access token
   */
  issueAccessToken(options?: IssueAccessTokenOptions): string;
  /**
   * Revoke an access token: exchanges with it answer 401 from now on, while JWTs already issued
   * from it keep working until they expire (documented Witboost behaviour).
   * @param accessToken - the token to revoke
   * @returns whether the token was known and active
   */
  revoke(accessToken: string): boolean;
  /** A snapshot of the counters. */
  readonly stats: WitboostMockStats;
  /** The last 100 requests (admin requests excluded), oldest first. */
  readonly lastRequests: RecordedRequest[];
  /** Fault injection. */
  readonly faults: WitboostMockFaults;
  /** The public key set that verifies every JWT the emulator issues. */
  readonly jwks: JSONWebKeySet;
  /** Zero every counter and forget the recorded requests. */
  resetStats(): void;
  /** Stop listening and close every open connection, keep-alive ones included. Idempotent. */
  close(): Promise<void>;
  /** Same as {@link WitboostMock.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}
