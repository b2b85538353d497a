import type { IncomingMessage, ServerResponse } from 'node:http';
import { CATALOG_PATH, EXCHANGE_PATH, GOVERNANCE_PATH, JWKS_PATH } from './constants.js';
import type { MockContext, RequestInfo, RouteHandler } from './context.js';
import { authSchemeOf } from './credentials.js';
import { sendError } from './http-json.js';
import { type AdminOperations, createAdminRoute } from './routes/admin.js';
import { catalogRoute } from './routes/catalog.js';
import { exchangeRoute } from './routes/exchange.js';
import { governanceRoute } from './routes/governance.js';
import { jwksRoute } from './routes/jwks.js';
import { redirectRoute } from './routes/test-redirect.js';

const PROTECTED_PATHS = new Set([CATALOG_PATH, GOVERNANCE_PATH]);

/** Builds the request listener: dispatch, request log, protected-endpoint counters. */
export function createRouter(ctx: MockContext, ops: AdminOperations) {
  const routes: Record<string, Record<string, RouteHandler>> = {
    [EXCHANGE_PATH]: { POST: exchangeRoute },
    [CATALOG_PATH]: { GET: catalogRoute },
    [GOVERNANCE_PATH]: { POST: governanceRoute },
    [JWKS_PATH]: { GET: jwksRoute },
    '/api/auth/jwks': { GET: jwksRoute },
  };
  const adminRoute = createAdminRoute(ops);

  return async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const info: RequestInfo = { path: url.pathname, query: url.searchParams, subject: null };
    const method = req.method ?? 'GET';
    const isAdmin = info.path.startsWith('/__admin/');

    res.on('close', () => {
      const status = res.headersSent ? res.statusCode : null;
      if (PROTECTED_PATHS.has(info.path) && status !== null) {
        ctx.stats.recordProtected(info.path, status);
      }
      if (!isAdmin) {
        ctx.stats.recordRequest({
          method,
          path: info.path,
          authScheme: authSchemeOf(req.headers.authorization),
          subject: info.subject,
          status,
        });
      }
    });

    try {
      if (isAdmin) return await adminRoute(req, res, ctx, info);
      if (info.path === '/__test/redirect') return await redirectRoute(req, res, ctx, info);
      const byMethod = routes[info.path];
      const handler = byMethod?.[method];
      if (handler) return await handler(req, res, ctx, info);
      req.resume();
      if (byMethod) {
        return sendError(res, 405, 'Method not allowed', {
          allow: Object.keys(byMethod).join(', '),
        });
      }
      sendError(res, 404, 'Not found');
    } catch {
      // Never reflect internals: an error could carry request data.
      sendError(res, 500, 'Internal emulator error');
    }
  };
}
