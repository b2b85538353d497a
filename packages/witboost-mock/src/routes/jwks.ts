import type { RouteHandler } from '../context.js';
import { sendJson } from '../http-json.js';

/** `GET /.well-known/jwks.json` and `/api/auth/jwks`: the public key, no credentials needed. */
export const jwksRoute: RouteHandler = (_req, res, ctx) => {
  sendJson(res, 200, ctx.jwt.jwks);
};
