import type { ResolvedConfig } from './options.js';
import { pathUnder, resolveUrl } from './url-policy.js';

/** Where a URL stands: does it receive credentials, and with which scope. */
export interface UrlDecision {
  readonly allowed: boolean;
  readonly scope: string | undefined;
}

const NOT_OURS: UrlDecision = Object.freeze({ allowed: false, scope: undefined });

/**
 * Classifies a URL (relative ones resolved against baseUrl) per the configured origins and
 * scope rules: user rules in order, then the origin's own scope, then the default CG rule.
 */
export function classifyUrl(config: ResolvedConfig, input: string | URL): UrlDecision {
  const url = resolveUrl(config.baseUrl, input);
  if (url === undefined) return NOT_OURS;
  const origin = url.origin;
  if (!config.origins.has(origin)) return NOT_OURS;
  const path = url.pathname;
  for (const rule of config.rules) {
    if ((rule.origin === undefined || rule.origin === origin) && pathUnder(path, rule.pathPrefix)) {
      return { allowed: true, scope: rule.scope };
    }
  }
  return { allowed: true, scope: undefined };
}

/** Bounded memo of per-URL-string results: the warm path must not parse URLs. */
export interface DecisionCache<T> {
  /** The memo itself, for a lookup without a function call on the warm path. */
  readonly entries: ReadonlyMap<string, T>;
  lookup(input: string | URL): T;
}

export function createDecisionCache<T>(
  compute: (input: string | URL) => T,
  maxEntries = 500,
): DecisionCache<T> {
  const entries = new Map<string, T>();
  return {
    entries,
    lookup(input) {
      const key = typeof input === 'string' ? input : input.href;
      let decision = entries.get(key);
      if (decision === undefined) {
        decision = compute(input);
        // Clearing beats LRU bookkeeping here: hot URLs come back within one request.
        if (entries.size >= maxEntries) entries.clear();
        entries.set(key, decision);
      }
      return decision;
    },
  };
}
