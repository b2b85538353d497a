import type { ServerResponse } from 'node:http';
import type { MockContext, RouteHandler } from '../context.js';
import { type JsonObject, readJsonObject, sendError, sendJson } from '../http-json.js';
import { redactToken } from '../redact.js';
import type { ExchangeFailure } from '../types.js';

type Validated =
  | { ok: true; accessToken: string; durationSeconds: number; scope: string | undefined }
  | { ok: false; status: number; message: string };

function normaliseScope(scope: string): string | undefined {
  const scopes = scope.split(/\s+/).filter(Boolean);
  return scopes.length === 0 ? undefined : scopes.join(' ');
}

function validate(body: JsonObject, ctx: MockContext): Validated {
  const { access_token: accessToken, duration_seconds: duration, scope } = body;
  if (accessToken === undefined) {
    return { ok: false, status: 400, message: 'access_token is required' };
  }
  if (typeof accessToken !== 'string' || accessToken === '') {
    return { ok: false, status: 400, message: 'access_token must be a non-empty string' };
  }
  if (duration !== undefined && (!Number.isSafeInteger(duration) || (duration as number) < 1)) {
    return { ok: false, status: 400, message: 'duration_seconds must be an integer >= 1' };
  }
  if (scope !== undefined && typeof scope !== 'string') {
    return { ok: false, status: 400, message: 'scope must be a string of space-separated scopes' };
  }
  return {
    ok: true,
    accessToken,
    durationSeconds: (duration as number | undefined) ?? ctx.defaultDurationSeconds,
    scope: scope === undefined ? undefined : normaliseScope(scope),
  };
}

function sendFailure(res: ServerResponse, failure: ExchangeFailure): void {
  const headers: Record<string, string> = { ...failure.headers };
  if (failure.retryAfterSeconds !== undefined) {
    headers['retry-after'] = String(failure.retryAfterSeconds);
  }
  const { body } = failure;
  if (typeof body === 'string') {
    res.writeHead(failure.status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
    res.end(body);
    return;
  }
  const payload = body ?? { error: { message: `Injected fault: HTTP ${failure.status}` } };
  sendJson(res, failure.status, payload, headers);
}

/** `POST /api/auth/access-tokens/jwt`: exchanges an access token for a signed JWT. */
export const exchangeRoute: RouteHandler = async (req, res, ctx) => {
  const body = await readJsonObject(req, { requireJsonContentType: true, allowEmpty: false });
  const stats: { ok: boolean; scopeKey?: string; tokenId?: string } = { ok: false };
  if (body.ok) {
    const { access_token: token, scope } = body.value;
    if (typeof token === 'string' && token !== '') stats.tokenId = redactToken(token);
    if (scope === undefined || typeof scope === 'string') {
      stats.scopeKey = (typeof scope === 'string' && normaliseScope(scope)) || '(none)';
    }
  }
  try {
    if (ctx.faults.latencyMs > 0) await ctx.sleep(ctx.faults.latencyMs);
    if (ctx.closed) return;

    const fault = ctx.faults.takeExchangeFault();
    if (fault?.kind === 'drop') {
      res.socket?.destroy();
      return;
    }
    if (fault?.kind === 'fail') {
      sendFailure(res, fault.failure);
      return;
    }

    if (!body.ok) return sendError(res, body.status, body.message);
    const request = validate(body.value, ctx);
    if (!request.ok) return sendError(res, request.status, request.message);

    const nowMs = ctx.now();
    const found = ctx.tokens.lookup(request.accessToken, nowMs);
    if (!found.ok) return sendError(res, 401, `Access token is ${found.reason}`);
    if (
      found.expiresAtMs !== undefined &&
      request.durationSeconds * 1000 > found.expiresAtMs - nowMs
    ) {
      return sendError(res, 400, "duration_seconds exceeds the access token's remaining lifetime");
    }

    const iat = Math.floor(nowMs / 1000);
    const jwt = await ctx.jwt.sign({
      sub: found.subject,
      iat,
      exp: iat + request.durationSeconds,
      iss: ctx.issuer,
      ...(request.scope === undefined ? {} : { scope: request.scope }),
    });
    stats.ok = true;
    sendJson(res, 200, { jwt });
  } finally {
    ctx.stats.recordExchange(stats);
  }
};
