/** `wbat-…abcd`: enough to tell tokens apart on screen, never enough to use one. */
export function showAccessToken(token: string): string {
  return `wbat-…${token.slice(-4)}`;
}

/** A JWT is shown by its shape only. */
export function showJwt(jwt: string): string {
  return jwt.startsWith('eyJ') ? 'eyJ…(redacted)' : '(redacted)';
}

export interface JwtClaims {
  sub?: string;
  iat?: number;
  exp?: number;
  iss?: string;
  scope?: string;
}

/**
 * Reads a JWT's claims without verifying it, as a client does: it holds no key, and only needs
 * `exp - iat` to know the lifetime.
 */
export function decodeClaims(jwt: string): JwtClaims {
  const payload = jwt.split('.')[1];
  if (payload === undefined) throw new Error('not a compact JWT');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as JwtClaims;
}

/** `12:00:05` in UTC, for claims. */
export function clockTime(epochSeconds: number | undefined): string {
  if (epochSeconds === undefined) return '?';
  return new Date(epochSeconds * 1000).toISOString().slice(11, 19);
}
