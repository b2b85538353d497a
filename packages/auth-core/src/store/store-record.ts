import { decodeExchangedJwt } from '../jwt-claims.js';

/** A JWT as shared between replicas. Times are epoch ms on the writer's clock. */
export interface SharedTokenRecord {
  jwt: string;
  /** When a refresh should start. */
  refreshAt: number;
  /** When the JWT stops being handed out. */
  deadlineAt: number;
}

/** A shared refusal: a 401/403 of the access token, or a 429 backoff. `until`: epoch ms. */
export type SharedMark =
  | { kind: 'rejected'; until: number; status: number | undefined }
  | { kind: 'backoff'; until: number; status: number | undefined };

export function encodeRecord(record: SharedTokenRecord): string {
  return JSON.stringify({ j: record.jwt, r: record.refreshAt, d: record.deadlineAt });
}

export function encodeMark(mark: SharedMark): string {
  return JSON.stringify({ m: mark.kind, u: mark.until, s: mark.status ?? null });
}

/**
 * The record in `plaintext` if it is servable at `now`, or `undefined` (a miss). Beyond the
 * format, the entry must be plausible for its own JWT: no deadline further away than the JWT's
 * lifetime (`exp − iat`, at most the requested duration), a refresh point before the deadline.
 * `refresh`: the caller's token is due for refresh, so only a record still before its own
 * refresh point helps.
 */
export function decodeRecord(
  plaintext: string,
  now: number,
  durationSeconds: number,
  refresh: boolean,
): SharedTokenRecord | undefined {
  const parsed = parseObject(plaintext);
  if (parsed === undefined) return undefined;
  const { j: jwt, r: refreshAt, d: deadlineAt } = parsed;
  if (typeof jwt !== 'string' || !isTime(refreshAt) || !isTime(deadlineAt)) return undefined;
  if (refreshAt > deadlineAt || now >= (refresh ? refreshAt : deadlineAt)) return undefined;
  let lifetimeMs: number;
  try {
    const claims = decodeExchangedJwt(jwt, {});
    const lifetime = claims.iat === undefined ? durationSeconds : claims.exp - claims.iat;
    lifetimeMs = Math.min(lifetime, durationSeconds) * 1000;
  } catch {
    return undefined;
  }
  if (deadlineAt - now > lifetimeMs) return undefined;
  return { jwt, refreshAt, deadlineAt };
}

/** The mark in `plaintext` if it still applies at `now`. */
export function decodeMark(plaintext: string, now: number): SharedMark | undefined {
  const parsed = parseObject(plaintext);
  if (parsed === undefined) return undefined;
  const { m: kind, u: until, s: status } = parsed;
  if ((kind !== 'rejected' && kind !== 'backoff') || !isTime(until) || now >= until) {
    return undefined;
  }
  return { kind, until, status: typeof status === 'number' ? status : undefined };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/** The JWT of a token record, plausible or not: what `drop` compares. */
export function recordJwt(plaintext: string): string | undefined {
  const jwt = parseObject(plaintext)?.j;
  return typeof jwt === 'string' ? jwt : undefined;
}
