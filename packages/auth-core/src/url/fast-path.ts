/**
 * The router's fast path: the decision for the common request URL without a WHATWG parse.
 *
 * Why it holds: a string starting with a configured origin as `URL#origin` spells it, then `/`,
 * `?`, `#` or the end, has that origin under WHATWG parsing; one starting with a single `/` is a
 * path under `baseUrl`. What the parser does to the path cannot change whether it lies under a
 * plain rule prefix ({@link isPlainPrefix}) unless it holds a dot segment (`/.`, `/%2e`), a
 * backslash, tab or newline, or the input ends in a space or control: escaping only inserts
 * `%XX`, which no such prefix holds. So after one native regex has checked the origin and found
 * none of those, rules are prefix checks on the raw text. Anything else (uppercase, default
 * ports, userinfo…) goes to the full parser; `router.property.test.ts` checks both agree.
 *
 * Why it exists: in `pnpm bench` `warm_header_many_urls_*` (50,000 distinct URLs) a full parse
 * held `authorizationFor` to ~0.9 M ops/s, below Azure's and Google's warm paths, and a scan in
 * JavaScript cost twice the async floor; native regex scanning costs ~2 ns a character.
 */

export interface FastRule<O> {
  /** No trailing slash; ignored when `any`. */
  readonly prefix: string;
  /** Matches every path (`/`, or a prefix above the base path for relative input). */
  readonly any: boolean;
  readonly outcome: O;
  /** A position in `prefix` and its character code, compared before the whole prefix. */
  readonly probe: number;
  readonly probeCode: number;
}

export function fastRule<O>(prefix: string, any: boolean, outcome: O): FastRule<O> {
  // The middle: request paths share their first segments (`/api/`) far more than the rest.
  const probe = prefix.length >> 1;
  return { prefix, any, outcome, probe, probeCode: prefix.charCodeAt(probe) };
}

export interface FastSite<O> {
  /** Canonical, e.g. `http://127.0.0.1:7007`. */
  readonly origin: string;
  readonly pattern: RegExp;
  readonly rules: readonly FastRule<O>[];
  /** The decision for a path no rule matches. */
  readonly fallback: O;
}

export interface FastTable<O> {
  /** `false` when a rule prefix is not plain: every input goes to the full parser. */
  readonly enabled: boolean;
  readonly unscoped: { readonly pattern: RegExp; readonly outcome: O } | undefined;
  readonly sites: readonly FastSite<O>[];
  /** The `baseUrl` origin, for relative paths, with its rules relative to the base path. */
  readonly base: FastSite<O>;
  readonly relativeRules: readonly FastRule<O>[];
}

const SLASH = 0x2f;
const QUESTION = 0x3f;
const HASH = 0x23;

// A path up to `?`, `#` or the end with nothing the parser would rewrite: no backslash, tab or
// newline, no segment starting with `.` or `%` (so no `%2e`), and at the end of the input no
// space or control (stripped; after `?` or `#` one cannot touch the path). Segment by segment,
// each starting with a character the class allows (so no empty segment but a trailing `/`):
// measured faster than a lookahead per segment, or a check of every character for a `/`. The
// end check in the regex, not a read of the last character, saves a cache miss per new URL.
const SAFE_PATH = String.raw`(?:\/[^?#\\\t\n\r/.%][^?#\\\t\n\r/]*)*\/?(?:[?#]|(?<![\x00-\x20])$)`;
// A relative path: one `/` (not `//`), then a safe path.
const RELATIVE = new RegExp(`^(?!//)${SAFE_PATH}`);
const PLAIN_PREFIX = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/;

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
// Where a path (or the authority) may end: the prefix before it is a whole segment.
const BOUNDARY = '(?=[/?#]|$)';

export function originPattern(origin: string): RegExp {
  return new RegExp(`^${literal(origin)}${BOUNDARY}${SAFE_PATH}`);
}

/**
 * The most common answer (ours, under no rule prefix) in one regex of negative lookaheads: in
 * `warm_header_many_urls_vs_limit` the rule walk after a site's regex cost as much again.
 * Sites with a rule for every path or another fallback take the rule walk.
 */
export function unscopedPattern<O>(
  sites: readonly FastSite<O>[],
  base: FastSite<O>,
  relativeRules: readonly FastRule<O>[],
  fallback: O,
): RegExp | undefined {
  // A negative lookahead per rule: the path is not the prefix, nor under it.
  const underNone = (rules: readonly FastRule<O>[]) =>
    rules.map((rule) => `(?!${literal(rule.prefix)}${BOUNDARY})`).join('');
  const alternatives: string[] = [];
  for (const site of sites) {
    if (site.fallback !== fallback || site.rules.some((rule) => rule.any)) continue;
    alternatives.push(`${literal(site.origin)}${BOUNDARY}${underNone(site.rules)}`);
  }
  if (base.fallback === fallback && !relativeRules.some((rule) => rule.any)) {
    alternatives.push(`(?=\\/(?!\\/))${underNone(relativeRules)}`);
  }
  if (alternatives.length === 0) return undefined;
  return new RegExp(`^(?:${alternatives.join('|')})${SAFE_PATH}`);
}

export function isPlainPrefix(prefix: string): boolean {
  return PLAIN_PREFIX.test(prefix);
}

/** `undefined` when only the full parser can tell. */
export function fastRoute<O>(table: FastTable<O>, input: string): O | undefined {
  if (!table.enabled) return undefined;
  const unscoped = table.unscoped;
  if (unscoped?.pattern.test(input)) return unscoped.outcome;
  let site: FastSite<O> | undefined;
  let rules: readonly FastRule<O>[];
  let start = 0;
  if (input.charCodeAt(0) === SLASH) {
    if (!RELATIVE.test(input)) return undefined;
    site = table.base;
    rules = table.relativeRules;
  } else {
    for (const candidate of table.sites) {
      if (candidate.pattern.test(input)) {
        site = candidate;
        start = candidate.origin.length;
        break;
      }
    }
    if (site === undefined) return undefined;
    rules = site.rules;
  }
  for (const rule of rules) {
    if (rule.any) return rule.outcome;
    const after = start + rule.prefix.length;
    const next = input.charCodeAt(after);
    // The boundary and the probe first (a character each). No prefix holds `?` or `#`, so one
    // right after the prefix ends the path there.
    const boundary = Number.isNaN(next) || next === SLASH || next === QUESTION || next === HASH;
    if (
      boundary &&
      input.charCodeAt(start + rule.probe) === rule.probeCode &&
      input.lastIndexOf(rule.prefix, start) === start
    ) {
      return rule.outcome;
    }
  }
  return site.fallback;
}
