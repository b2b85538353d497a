import { CG_SCOPE } from '../constants.js';
import type { RouteHandler } from '../context.js';
import { type JsonObject, readJsonObject, sendError, sendJson } from '../http-json.js';
import { requireCredentials } from '../protect.js';

function field(resource: JsonObject, name: string): unknown {
  const spec = resource.spec;
  const fromSpec =
    typeof spec === 'object' && spec !== null ? (spec as JsonObject)[name] : undefined;
  return fromSpec ?? resource[name];
}

/**
 * The emulator's policies: each requires one field of the resource (top level or `spec`).
 * Any other policy id is accepted and checks nothing, so the seed's `{"policy": "..."}` passes.
 */
const REQUIRED_FIELD_BY_POLICY: Record<string, string> = {
  'require-owner': 'owner',
  'require-domain': 'domain',
  'require-description': 'description',
};

/** `POST /api/computational-governance/validate`: needs the CG scope (or Basic). */
export const governanceRoute: RouteHandler = async (req, res, ctx, info) => {
  const body = await readJsonObject(req, { requireJsonContentType: true, allowEmpty: false });
  if (!(await requireCredentials(req, res, ctx, info, CG_SCOPE))) return;
  if (!body.ok) return sendError(res, body.status, body.message);
  const { policy, resource = {} } = body.value;
  if (typeof policy !== 'string' || policy === '') {
    return sendError(res, 400, 'policy must be a non-empty string');
  }
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) {
    return sendError(res, 400, 'resource must be a JSON object');
  }
  const required = REQUIRED_FIELD_BY_POLICY[policy];
  const value = required === undefined ? 'n/a' : field(resource as JsonObject, required);
  const errors =
    typeof value === 'string' && value !== ''
      ? []
      : [`resource has no ${required} (policy ${policy})`];
  sendJson(res, 200, { policy, satisfiesPolicy: errors.length === 0, errors });
};
