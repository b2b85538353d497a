import type { ResolvedConfig } from '../options.js';
import { pathUnder } from '../url-policy.js';
import {
  type FastRule,
  type FastSite,
  type FastTable,
  fastRoute,
  fastRule,
  isPlainPrefix,
  originPattern,
} from './fast-path.js';
import { resolveAgainstBase } from './resolve.js';

/**
 * "Does this URL get a credential, and with which scope?": the one answer `authorizationFor`,
 * `isWitboostUrl`, `scopeFor`, `auth.fetch` (every hop) and the axios adapter (through them) use.
 */
export interface UrlDecision {
  readonly allowed: boolean;
  readonly scope: string | undefined;
}

/** What the router needs from the resolved options. */
export type RouterConfig = Pick<
  ResolvedConfig,
  'baseUrl' | 'baseOrigin' | 'basePath' | 'origins' | 'rules'
>;

/** Routes a URL to the value bound to its decision; never throws for a string or a URL. */
export type UrlRouter<T> = (input: string | URL) => T;

/** One possible decision, bound lazily (a scope's cache slot is created on first use). */
interface Outcome<T> {
  readonly decision: UrlDecision;
  bound: boolean;
  value: T | undefined;
}

/** Full-parser results by URL string, for the inputs the fast path leaves to it. */
const MEMO_SIZE = 500;

/**
 * Builds the router of one configuration. Each distinct decision (not ours; ours with scope S)
 * is bound once with `bind`, so the hot path returns a value without allocating. Strings take
 * the fast path ({@link fastRoute}) when it can answer, else the full WHATWG resolution
 * ({@link resolveAgainstBase}), memoised for repeated inputs.
 *
 * @example
 * ```ts
 * const route = createUrlRouter(config, (decision) => decision);
 * route('/api/computational-governance/x'); // { allowed: true, scope: 'service:computational-governance' }
 * ```
 */
export function createUrlRouter<T>(
  config: RouterConfig,
  bind: (decision: UrlDecision) => T,
): UrlRouter<T> {
  const { table, notOurs, bySite } = compile<T>(config);
  const memo = new Map<string, Outcome<T>>();
  const boundValue = (outcome: Outcome<T>): T => {
    if (!outcome.bound) {
      outcome.value = bind(outcome.decision);
      outcome.bound = true;
    }
    return outcome.value as T;
  };

  const full = (input: string | URL): Outcome<T> => {
    const url = typeof input === 'string' ? resolveAgainstBase(config.baseUrl, input) : input;
    return url === undefined ? notOurs : decideParsed(bySite, notOurs, url);
  };

  // Clients often call one URL again and again: the same string skips even the fast path.
  let lastInput: string | undefined;
  let lastValue: T | undefined;

  return function route(input) {
    if (input === lastInput) return lastValue as T;
    if (typeof input !== 'string') return boundValue(input instanceof URL ? full(input) : notOurs);
    const fast = fastRoute(table, input);
    if (fast !== undefined) {
      lastInput = input;
      lastValue = boundValue(fast);
      return lastValue;
    }
    let outcome = memo.get(input);
    if (outcome === undefined) {
      outcome = full(input);
      // Clearing beats LRU bookkeeping: these are the rare inputs, and hot ones come back.
      if (memo.size >= MEMO_SIZE) memo.clear();
      memo.set(input, outcome);
    }
    return boundValue(outcome);
  };
}

/**
 * Both paths' decisions side by side, for the equivalence property test: `fast` is
 * `undefined` when the fast path leaves the input to the full parser.
 */
export function createRouteExplainer(
  config: RouterConfig,
): (input: string) => { fast: UrlDecision | undefined; full: UrlDecision } {
  const { table, notOurs, bySite } = compile<undefined>(config);
  return (input) => {
    const url = resolveAgainstBase(config.baseUrl, input);
    const full = url === undefined ? notOurs : decideParsed(bySite, notOurs, url);
    return { fast: fastRoute(table, input)?.decision, full: full.decision };
  };
}

function decideParsed<T>(
  bySite: ReadonlyMap<string, FastSite<Outcome<T>>>,
  notOurs: Outcome<T>,
  url: URL,
): Outcome<T> {
  const site = bySite.get(url.origin);
  if (site === undefined) return notOurs;
  const path = url.pathname;
  for (const rule of site.rules) {
    if (rule.any || pathUnder(path, rule.prefix)) return rule.outcome;
  }
  return site.fallback;
}

function compile<T>(config: RouterConfig) {
  const outcomes = new Map<string | undefined, Outcome<T>>();
  const allowed = (scope: string | undefined): Outcome<T> => {
    let outcome = outcomes.get(scope);
    if (outcome === undefined) {
      outcome = {
        decision: Object.freeze({ allowed: true, scope }),
        bound: false,
        value: undefined,
      };
      outcomes.set(scope, outcome);
    }
    return outcome;
  };
  const notOurs: Outcome<T> = {
    decision: Object.freeze({ allowed: false, scope: undefined }),
    bound: false,
    value: undefined,
  };
  const bySite = new Map<string, FastSite<Outcome<T>>>();
  for (const origin of config.origins.keys()) {
    // User rules in order, then the origin's own scope, then the default CG rule (see options).
    const rules = config.rules
      .filter((rule) => rule.origin === undefined || rule.origin === origin)
      .map((rule) =>
        fastRule(
          rule.pathPrefix,
          rule.pathPrefix === '/' || rule.pathPrefix === '',
          allowed(rule.scope),
        ),
      );
    bySite.set(origin, {
      origin,
      pattern: originPattern(origin),
      rules,
      fallback: allowed(undefined),
    });
  }
  const base = bySite.get(config.baseOrigin) as FastSite<Outcome<T>>;
  const relativeRules = relativeTo(config.basePath, base.rules);
  const everyRule = [...bySite.values()].flatMap((site) => site.rules).concat(relativeRules);
  const table: FastTable<Outcome<T>> = {
    enabled: everyRule.every((rule) => rule.any || isPlainPrefix(rule.prefix)),
    sites: [...bySite.values()],
    base,
    relativeRules,
  };
  return { table, notOurs, bySite };
}

/**
 * The base origin's rules for a relative path `p` (which starts with `/`), whose full path is
 * `basePath + p`: a prefix at or above the base path matches every `p`; one below it matches
 * when `p` is under the rest of the prefix; any other can never match.
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
