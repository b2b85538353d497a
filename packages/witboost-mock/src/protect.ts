import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MockContext, RequestInfo } from './context.js';
import { type Authentication, authenticate, hasScope } from './credentials.js';
import { sendError } from './http-json.js';

type Granted = Extract<Authentication, { ok: true }>;

/**
 * Authenticates a protected request, answering 401 (with a Bearer challenge) or 403 itself.
 * @returns the identity, or undefined when the response has been sent
 */
export async function requireCredentials(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: MockContext,
  info: RequestInfo,
  requiredScope?: string,
): Promise<Granted | undefined> {
  const auth = await authenticate(req, ctx);
  if (!auth.ok) {
    sendError(res, 401, auth.message, { 'www-authenticate': 'Bearer' });
    return undefined;
  }
  info.subject = auth.subject;
  if (requiredScope !== undefined && !hasScope(auth, requiredScope)) {
    sendError(
      res,
      403,
      `This API requires a JWT with scope "${requiredScope}": request it in the token exchange`,
      { 'www-authenticate': `Bearer error="insufficient_scope", scope="${requiredScope}"` },
    );
    return undefined;
  }
  return auth;
}
