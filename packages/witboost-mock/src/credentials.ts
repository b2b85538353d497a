import type { IncomingMessage } from 'node:http';
import type { MockContext } from './context.js';

/** The identity behind a request's `Authorization` header. */
export type Authentication =
  | { ok: true; subject: string; scopes: ReadonlySet<string>; scheme: 'Bearer' | 'Basic' }
  | { ok: false; message: string };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Scheme of an Authorization header, for the request log. */
export function authSchemeOf(header: string | undefined): 'Bearer' | 'Basic' | 'Other' | null {
  if (header === undefined) return null;
  const scheme = header.trim().split(/\s+/, 1)[0]?.toLowerCase();
  if (scheme === 'bearer') return 'Bearer';
  if (scheme === 'basic') return 'Basic';
  return 'Other';
}

async function fromBearer(jwt: string, ctx: MockContext): Promise<Authentication> {
  if (jwt === '') return { ok: false, message: 'Bearer token is empty' };
  if (ctx.faults.isRejected(jwt)) return { ok: false, message: 'JWT has been invalidated' };
  const verified = await ctx.jwt.verify(jwt, ctx.issuer, ctx.now());
  if (!verified.ok) {
    return {
      ok: false,
      message: verified.reason === 'expired' ? 'JWT has expired' : 'JWT is invalid',
    };
  }
  const { sub, scope } = verified.payload;
  const scopes = typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
  return { ok: true, subject: String(sub), scopes: new Set(scopes), scheme: 'Bearer' };
}

function fromBasic(encoded: string, ctx: MockContext): Authentication {
  if (!ctx.basicAuth) {
    return { ok: false, message: 'Basic authentication is disabled on this installation' };
  }
  if (!BASE64.test(encoded)) return { ok: false, message: 'Malformed Basic credentials' };
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { ok: false, message: 'Malformed Basic credentials' };
  if (decoded.slice(0, colon) !== 'witboost') {
    return { ok: false, message: 'Basic authentication username must be "witboost"' };
  }
  const found = ctx.tokens.lookup(decoded.slice(colon + 1), ctx.now());
  if (!found.ok) return { ok: false, message: `Access token is ${found.reason}` };
  // Witboost turns Basic credentials into a JWT internally; the CG module accepts them fully.
  return { ok: true, subject: found.subject, scopes: new Set(['*']), scheme: 'Basic' };
}

/** Verifies a request's credentials for real: JWT signature, expiry and issuer, or Basic. */
export async function authenticate(
  req: IncomingMessage,
  ctx: MockContext,
): Promise<Authentication> {
  const header = req.headers.authorization;
  if (header === undefined || header.trim() === '') {
    return { ok: false, message: 'Missing Authorization header' };
  }
  const match = /^\s*(\S+)\s*(.*)$/.exec(header);
  const scheme = match?.[1]?.toLowerCase();
  const credentials = match?.[2]?.trim() ?? '';
  if (scheme === 'bearer') return fromBearer(credentials, ctx);
  if (scheme === 'basic') return fromBasic(credentials, ctx);
  return { ok: false, message: 'Unsupported authorization scheme' };
}

/** Whether an authentication grants a scope (Basic grants everything it can reach). */
export function hasScope(auth: { scopes: ReadonlySet<string> }, scope: string): boolean {
  return auth.scopes.has(scope) || auth.scopes.has('*');
}
