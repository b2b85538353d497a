import { CATALOG } from '../catalog-data.js';
import type { RouteHandler } from '../context.js';
import { sendJson } from '../http-json.js';
import { requireCredentials } from '../protect.js';

/** `GET /api/catalog/entities[?kind=DataProduct]`: any valid credentials. */
export const catalogRoute: RouteHandler = async (req, res, ctx, info) => {
  if (!(await requireCredentials(req, res, ctx, info))) return;
  const kind = info.query.get('kind')?.toLowerCase();
  const entities = kind ? CATALOG.filter((e) => e.kind.toLowerCase() === kind) : CATALOG;
  sendJson(res, 200, entities);
};
