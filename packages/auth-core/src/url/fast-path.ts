/**
 * The URL router's fast path: the decision for the common request URL without a WHATWG parse.
 *
 * Why it holds: a string that begins with a configured origin in canonical form (as `URL#origin`
 * spells it) followed by `/`, `?`, `#` or the end has that origin under WHATWG parsing; tabs or
 * newlines after it cannot move the authority. A string starting with a single `/` is a path
 * under `baseUrl`. What the parser then does to the path (up to `?` or `#`) cannot change
 * whether it lies under a rule prefix made of plain path characters without `%` (see
 * {@link isPlainPrefix}) unless the path holds a dot segment (`/.`, `/%2e`), a backslash, a tab or
 * newline (removed), or the input ends in a space or control (stripped): escaping other
 * characters only inserts `%XX`, which no such prefix contains. So the rules are prefix checks
 * on the raw text once one native regex match has checked the origin and found none of those.
 * Everything else (uppercase, default ports, userinfo, invalid URLs…) goes to the full parser.
 * `router.property.test.ts` checks the two agree on generated strings.
 *
 * Why it exists: `pnpm bench` `warm_header_many_urls_*` (50,000 distinct catalog URLs): a full
 * parse plus the rule walk held `authorizationFor` to about 0.9 M ops/s, below Azure's and
 * Google's warm paths; a per-character scan in JavaScript cost twice the async floor, and an
 * origin comparison plus a separate scan a third more than this one regex per call (plus one
 * prefix comparison per rule whose boundary matches). It allocates nothing.
 */

/** One scope rule in the form the fast path checks: a path prefix and what it decides. */
export interface FastRule<O> {
  /** Path prefix, no trailing slash; ignored when `any`. */
  readonly prefix: string;
  /** The rule matches every path (`/`, or a prefix above the base path for relative input). */
  readonly any: boolean;
  readonly outcome: O;
  /** A position in `prefix` and its character code, compared before the whole prefix. */
  readonly probe: number;
  readonly probeCode: number;
}

/** A rule for {@link fastRoute}. */
export function fastRule<O>(prefix: string, any: boolean, outcome: O): FastRule<O> {
  // The middle: request paths share their first segments (`/api/`) far more than the rest.
  const probe = prefix.length >> 1;
  return { prefix, any, outcome, probe, probeCode: prefix.charCodeAt(probe) };
}

/** A credential-receiving origin with its rules in order. */
export interface FastSite<O> {
  /** Canonical origin, e.g. `https://witboost.example.com` or `http://127.0.0.1:7007`. */
  readonly origin: string;
  /** {@link originPattern} of `origin`. */
  readonly pattern: RegExp;
  readonly rules: readonly FastRule<O>[];
  /** What a path no rule matches decides. */
  readonly fallback: O;
}

export interface FastTable<O> {
  /** `false` when a rule prefix is not plain: then every input goes to the full parser. */
  readonly enabled: boolean;
  readonly sites: readonly FastSite<O>[];
  /** The `baseUrl` origin, for relative paths. */
  readonly base: FastSite<O>;
  /** The base origin's rules with prefixes made relative to the base path. */
  readonly relativeRules: readonly FastRule<O>[];
}

const SLASH = 0x2f;
const QUESTION = 0x3f;
const HASH = 0x23;
const SPACE = 0x20;

// A path up to `?`, `#` or the end with nothing the parser would rewrite: no backslash, tab or
// newline, no segment starting with `.` or `%` (so no `%2e`). Segment by segment, which
// measured a third faster than checking every character for a `/` first.
const SAFE_PATH = String.raw`(?:\/(?![.%])[^?#\\\t\n\r/]*)*(?:[?#]|$)`;
// A relative path: one `/` (not `//`), then a safe path.
const RELATIVE = new RegExp(`^(?!//)${SAFE_PATH}`);
const PLAIN_PREFIX = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/;

/** `origin` exactly, where the authority ends, then a safe path. */
export function originPattern(origin: string): RegExp {
  return new RegExp(`^${origin.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?=[/?#]|$)${SAFE_PATH}`);
}

/** Whether the fast path may compare `prefix` with raw request paths. */
export function isPlainPrefix(prefix: string): boolean {
  return PLAIN_PREFIX.test(prefix);
}

/** The outcome for `input`, or `undefined` when only the full parser can tell. */
export function fastRoute<O>(table: FastTable<O>, input: string): O | undefined {
  if (!table.enabled || input.charCodeAt(input.length - 1) <= SPACE) return undefined;
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
    // The boundary and the probe first (one character each), the comparison only then. The path ends at the first
    // `?` or `#`, and no prefix holds either, so one right after the prefix ends the path there.
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
