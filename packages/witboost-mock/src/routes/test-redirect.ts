import type { RouteHandler } from '../context.js';
import { sendError } from '../http-json.js';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * `ANY /__test/redirect?to=<url>[&status=302]`: lets client tests check that credentials are
 * not forwarded across origins after a redirect. Emulator only.
 */
export const redirectRoute: RouteHandler = (_req, res, _ctx, info) => {
  const to = info.query.get('to');
  const status = Number(info.query.get('status') ?? '302');
  if (!to || !URL.canParse(to)) return sendError(res, 400, 'to must be an absolute URL');
  if (!REDIRECT_STATUSES.has(status)) return sendError(res, 400, 'status must be a 3xx redirect');
  res.writeHead(status, { location: to, 'content-length': 0 });
  res.end();
};
