import type { ResolvedConfig } from '../options.js';
import {
  type FastRule,
  type FastSite,
  type FastTable,
  fastRoute,
  fastRule,
  isPlainPrefix,
  originPattern,
  unscopedPattern,
} from './fast-path.js';
import { resolveAgainstBase } from './resolve.js';

/** "Does this URL get a credential, and with which scope?", for every caller of core. */
export interface UrlDecision {
  readonly allowed: boolean;
  readonly scope: string | undefined;
}

type RouterConfig = Pick<
  ResolvedConfig,
  'baseUrl' | 'baseOrigin' | 'basePath' | 'origins' | 'rules'
>;

/** Never throws. */
export type UrlRouter = (input: string | URL) => UrlDecision;

// Full-parser results by input, for what the fast path leaves to it.
const MEMO_SIZE = 500;

/**
 * Strings take the fast path ({@link fastRoute}) when it can answer, else the full WHATWG
 * resolution, memoised. Each distinct decision is one frozen object, so nothing is allocated.
 */
export function createUrlRouter(config: RouterConfig): UrlRouter {
  const { table, notOurs, bySite } = compile(config);
  const memo = new Map<string, UrlDecision>();
  const full = (input: string | URL): UrlDecision => {
    const url = typeof input === 'string' ? resolveAgainstBase(config.baseUrl, input) : input;
    return url === undefined ? notOurs : decideParsed(bySite, notOurs, url);
  };

  // Clients often call one URL again and again: the same string skips even the fast path.
  let lastInput: string | undefined;
  let lastDecision = notOurs;

  return function route(input) {
    if (input === lastInput) return lastDecision;
    if (typeof input !== 'string') return input instanceof URL ? full(input) : notOurs;
    const fast = fastRoute(table, input);
    if (fast !== undefined) {
      lastInput = input;
      lastDecision = fast;
      return fast;
    }
    let decision = memo.get(input);
    if (decision === undefined) {
      decision = full(input);
      // Clearing beats LRU bookkeeping: these are the rare inputs, and hot ones come back.
      if (memo.size >= MEMO_SIZE) memo.clear();
      memo.set(input, decision);
    }
    return decision;
  };
}

interface RouteExplanation {
  /** `undefined`: left to the full parser. */
  readonly fast: UrlDecision | undefined;
  readonly full: UrlDecision;
  /** Answered by the one regex for unscoped paths, not the rule walk. */
  readonly unscoped: boolean;
}

/** Both paths' decisions side by side, for the equivalence property test. */
export function createRouteExplainer(config: RouterConfig): (input: string) => RouteExplanation {
  const { table, notOurs, bySite } = compile(config);
  return (input) => {
    const url = resolveAgainstBase(config.baseUrl, input);
    const full = url === undefined ? notOurs : decideParsed(bySite, notOurs, url);
    const unscoped = table.enabled && table.unscoped?.pattern.test(input) === true;
    return { fast: fastRoute(table, input), full, unscoped };
  };
}

function decideParsed(
  bySite: ReadonlyMap<string, FastSite<UrlDecision>>,
  notOurs: UrlDecision,
  url: URL,
): UrlDecision {
  const site = bySite.get(url.origin);
  if (site === undefined) return notOurs;
  const path = url.pathname;
  for (const rule of site.rules) {
    if (rule.any || pathUnder(path, rule.prefix)) return rule.outcome;
  }
  return site.fallback;
}

function compile(config: RouterConfig) {
  const decisions = new Map<string | undefined, UrlDecision>();
  const allowed = (scope: string | undefined): UrlDecision => {
    let decision = decisions.get(scope);
    if (decision === undefined) {
      decision = Object.freeze({ allowed: true, scope });
      decisions.set(scope, decision);
    }
    return decision;
  };
  const notOurs: UrlDecision = Object.freeze({ allowed: false, scope: undefined });
  const fallback = allowed(undefined);
  const bySite = new Map<string, FastSite<UrlDecision>>();
  for (const origin of config.origins.keys()) {
    const rules = config.rules
      .filter((rule) => rule.origin === undefined || rule.origin === origin)
      .map((rule) => fastRule(rule.pathPrefix, rule.pathPrefix === '/', allowed(rule.scope)));
    bySite.set(origin, { origin, pattern: originPattern(origin), rules, fallback });
  }
  const sites = [...bySite.values()];
  const base = bySite.get(config.baseOrigin) as FastSite<UrlDecision>;
  const relativeRules = relativeTo(config.basePath, base.rules);
  const everyRule = sites.flatMap((site) => site.rules).concat(relativeRules);
  const enabled = everyRule.every((rule) => rule.any || isPlainPrefix(rule.prefix));
  const pattern = enabled ? unscopedPattern(sites, base, relativeRules, fallback) : undefined;
  const table: FastTable<UrlDecision> = {
    enabled,
    unscoped: pattern === undefined ? undefined : { pattern, outcome: fallback },
    sites,
    base,
    relativeRules,
  };
  return { table, notOurs, bySite };
}

/**
 * The base origin's rules for a relative path `p`, whose full path is `basePath + p`: a prefix
 * at or above the base path matches every `p`, one below it the rest of the prefix, others none.
 */
function relativeTo<O>(basePath: string, rules: readonly FastRule<O>[]): FastRule<O>[] {
  if (basePath === '') return [...rules];
  const relative: FastRule<O>[] = [];
  for (const rule of rules) {
    if (rule.any || pathUnder(basePath, rule.prefix)) {
      relative.push(fastRule(rule.prefix, true, rule.outcome));
    } else if (rule.prefix.startsWith(`${basePath}/`)) {
      relative.push(fastRule(rule.prefix.slice(basePath.length), false, rule.outcome));
    }
  }
  return relative;
}

/** `prefix` itself or below it, on a segment boundary. */
function pathUnder(path: string, prefix: string): boolean {
  if (prefix === '/' || prefix === '') return true;
  return path === prefix || (path.startsWith(prefix) && path.charCodeAt(prefix.length) === 47);
}
