import { randomBytes } from 'node:crypto';

interface TokenRecord {
  subject: string;
  /** Server-clock time after which the token is expired; undefined = never. */
  expiresAtMs: number | undefined;
  revoked: boolean;
}

/** Why a token cannot be used, or the account it authenticates. */
export type TokenLookup =
  | { ok: true; subject: string; expiresAtMs: number | undefined }
  | { ok: false; reason: 'unknown' | 'revoked' | 'expired' };

export interface TokenStore {
  issue(subject: string | undefined, expiresInSeconds: number | undefined, nowMs: number): string;
  revoke(token: string): boolean;
  lookup(token: string, nowMs: number): TokenLookup;
}

/** In-memory access tokens with Witboost's rule: one active token per account. */
export function createTokenStore(): TokenStore {
  const tokens = new Map<string, TokenRecord>();
  const activeBySubject = new Map<string, string>();
  let counter = 0;

  return {
    issue(subject, expiresInSeconds, nowMs) {
      counter += 1;
      const owner = subject ?? `service-account:demo-${counter}`;
      const previous = activeBySubject.get(owner);
      const previousRecord = previous === undefined ? undefined : tokens.get(previous);
      if (previousRecord) previousRecord.revoked = true;
      // 27 random bytes give 36 base64url chars; the sample format has 35 after the prefix.
      const token = `wbat-${randomBytes(27).toString('base64url').slice(0, 35)}`;
      tokens.set(token, {
        subject: owner,
        expiresAtMs: expiresInSeconds === undefined ? undefined : nowMs + expiresInSeconds * 1000,
        revoked: false,
      });
      activeBySubject.set(owner, token);
      return token;
    },
    revoke(token) {
      const record = tokens.get(token);
      if (!record || record.revoked) return false;
      record.revoked = true;
      return true;
    },
    lookup(token, nowMs) {
      const record = tokens.get(token);
      if (!record) return { ok: false, reason: 'unknown' };
      if (record.revoked) return { ok: false, reason: 'revoked' };
      if (record.expiresAtMs !== undefined && nowMs >= record.expiresAtMs) {
        return { ok: false, reason: 'expired' };
      }
      return { ok: true, subject: record.subject, expiresAtMs: record.expiresAtMs };
    },
  };
}
