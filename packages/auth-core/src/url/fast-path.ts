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
 * on the raw text once one native regex scan has found none of those. Everything else
 * (uppercase, default ports, userinfo, invalid URLs…) goes to the full parser.
 * `router.property.test.ts` checks the two agree on generated strings.
 *
 * Why it exists: `pnpm bench` `warm_header_many_urls_*` (50,000 distinct catalog URLs): a full
 * parse plus the rule walk held `authorizationFor` to about 0.9 M ops/s, below Azure's and
 * Google's warm paths; a per-character scan in JavaScript cost twice the async floor. This costs
 * two native string searches and one prefix comparison per rule, and allocates nothing.
 */

/** One scope rule in the form the fast path checks: a path prefix and what it decides. */
export interface FastRule<O> {
  /** Path prefix, no trailing slash; ignored when `any`. */
  readonly prefix: string;
  /** The rule matches every path (`/`, or a prefix above the base path for relative input). */
  readonly any: boolean;
  readonly outcome: O;
}

/** A credential-receiving origin with its rules in order. */
export interface FastSite<O> {
  /** Canonical origin, e.g. `https://witboost.example.com` or `http://127.0.0.1:7007`. */
  readonly origin: string;
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

// The end of the path, or what the parser would rewrite in it: whichever comes first.
const PATH_END_OR_REWRITE = /[?#\\\t\n\r]|\/(?:\.|%2e)/gi;
const PLAIN_PREFIX = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/;

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
    // `//host`: protocol-relative. (`/\host` too, but the scan below refuses any backslash.)
    if (input.charCodeAt(1) === SLASH) return undefined;
    site = table.base;
    rules = table.relativeRules;
  } else {
    for (const candidate of table.sites) {
      const next = input.charCodeAt(candidate.origin.length);
      // NaN (the end), `/`, `?` or `#`: the authority would end exactly there.
      if (!(Number.isNaN(next) || next === SLASH || next === QUESTION || next === HASH)) continue;
      if (startsAt(input, candidate.origin, 0)) {
        site = candidate;
        start = candidate.origin.length;
        break;
      }
    }
    if (site === undefined) return undefined;
    rules = site.rules;
  }
  PATH_END_OR_REWRITE.lastIndex = start;
  let end = input.length;
  // One native scan: a loop over the characters in JavaScript cost twice the async floor.
  if (PATH_END_OR_REWRITE.test(input)) {
    end = PATH_END_OR_REWRITE.lastIndex - 1;
    const found = input.charCodeAt(end);
    if (found !== QUESTION && found !== HASH) return undefined;
  }
  for (const rule of rules) {
    if (rule.any) return rule.outcome;
    const after = start + rule.prefix.length;
    // The boundary first (one character), the comparison only then. No prefix holds `?` or
    // `#`, so a match lies within the path.
    if (
      (after === end || input.charCodeAt(after) === SLASH) &&
      startsAt(input, rule.prefix, start)
    ) {
      return rule.outcome;
    }
  }
  return site.fallback;
}

/**
 * `input.startsWith(search, at)`. `lastIndexOf` searches backwards from `at`, so it meets `at`
 * first: in Node 20 it compared a 21-character origin in about a third of `startsWith`'s time.
 */
function startsAt(input: string, search: string, at: number): boolean {
  return input.lastIndexOf(search, at) === at;
}
