import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MockContext, RouteHandler } from '../context.js';
import { type JsonObject, readJsonObject, sendError, sendJson } from '../http-json.js';
import type { ExchangeFailure, IssueAccessTokenOptions, WitboostMockFaults } from '../types.js';

/** The handle operations the admin API drives. */
export interface AdminOperations {
  issueAccessToken(options: IssueAccessTokenOptions): string;
  revoke(accessToken: string): boolean;
  resetStats(): void;
}

function isLoopback(address: string | undefined): boolean {
  return (
    address !== undefined &&
    (address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.'))
  );
}

type AdminHandler = (body: JsonObject, res: ServerResponse, ctx: MockContext) => void;

function optionalNumber(body: JsonObject, name: string): number | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number`);
  return value;
}

function applyFaults(body: JsonObject, faults: WitboostMockFaults): void {
  if (body.reset === true) faults.reset();
  const fail = body.failNextExchanges;
  if (fail !== undefined) {
    if (typeof fail !== 'object' || fail === null) {
      throw new TypeError('failNextExchanges must be an object');
    }
    const { count = 1, ...failure } = fail as JsonObject;
    faults.failNextExchanges(count as number, failure as unknown as ExchangeFailure);
  }
  const drop = optionalNumber(body, 'dropNextExchanges');
  if (drop !== undefined) faults.dropNextExchanges(drop);
  const latency = optionalNumber(body, 'exchangeLatencyMs');
  if (latency !== undefined) faults.setExchangeLatency(latency);
  const skew = optionalNumber(body, 'clockSkewSeconds');
  if (skew !== undefined) faults.setClockSkew(skew);
  if (body.rejectJwt !== undefined) faults.rejectJwt(body.rejectJwt as string);
}

/**
 * The emulator-only admin API under `/__admin/`, so tools in any language can drive it.
 * Loopback clients only: it has no authentication.
 */
export function createAdminRoute(ops: AdminOperations): RouteHandler {
  const posts: Record<string, AdminHandler> = {
    '/__admin/access-tokens': (body, res) => {
      const { expiresInSeconds, subject } = body;
      const accessToken = ops.issueAccessToken({
        ...(expiresInSeconds === undefined ? {} : { expiresInSeconds: expiresInSeconds as number }),
        ...(subject === undefined ? {} : { subject: subject as string }),
      });
      sendJson(res, 201, { accessToken });
    },
    '/__admin/revoke': (body, res) => {
      if (typeof body.accessToken !== 'string') throw new TypeError('accessToken must be a string');
      sendJson(res, 200, { revoked: ops.revoke(body.accessToken) });
    },
    '/__admin/faults': (body, res, ctx) => {
      applyFaults(body, ctx.faults.api);
      sendJson(res, 200, ctx.faults.describe());
    },
    '/__admin/reset': (_body, res, ctx) => {
      ctx.faults.api.reset();
      ops.resetStats();
      sendJson(res, 200, ctx.faults.describe());
    },
  };
  const gets: Record<string, (ctx: MockContext) => unknown> = {
    '/__admin/stats': (ctx) => ctx.stats.snapshot(),
    '/__admin/requests': (ctx) => ctx.stats.requests(),
    '/__admin/faults': (ctx) => ctx.faults.describe(),
  };

  return async function adminRoute(req: IncomingMessage, res: ServerResponse, ctx, info) {
    if (!isLoopback(req.socket.remoteAddress)) {
      return sendError(res, 403, 'The admin API only answers loopback clients');
    }
    const get = gets[info.path];
    const post = posts[info.path];
    if (req.method === 'GET' && get) return sendJson(res, 200, get(ctx));
    if (req.method === 'POST' && post) {
      const body = await readJsonObject(req, { requireJsonContentType: false, allowEmpty: true });
      if (!body.ok) return sendError(res, body.status, body.message);
      try {
        post(body.value, res, ctx);
      } catch (error) {
        // Validation messages name fields only, never values, so they are safe to return.
        const message = error instanceof Error ? error.message : 'Invalid request';
        sendError(res, 400, message.replace(/^\[@wb\/witboost-mock\] /, ''));
      }
      return;
    }
    if (get || post) {
      return sendError(res, 405, 'Method not allowed', {
        allow: get && post ? 'GET, POST' : get ? 'GET' : 'POST',
      });
    }
    sendError(res, 404, 'No such admin endpoint');
  };
}
