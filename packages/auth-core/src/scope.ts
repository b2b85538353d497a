import { invalidOption } from './fail.js';

/** The scope the Computational Governance API needs. */
export const COMPUTATIONAL_GOVERNANCE_SCOPE = 'service:computational-governance';

/** Path (below the base path) whose requests need {@link COMPUTATIONAL_GOVERNANCE_SCOPE}. */
export const COMPUTATIONAL_GOVERNANCE_PATH = '/api/computational-governance';

// RFC 6749 scope-token characters, single spaces between tokens: what the server can parse.
const SCOPE_PATTERN = /^[\x21\x23-\x5b\x5d-\x7e]+(?: [\x21\x23-\x5b\x5d-\x7e]+)*$/;

/** Whether `scope` is a well-formed space-separated scope list. */
export function isValidScope(scope: unknown): scope is string {
  return typeof scope === 'string' && scope.length <= 1024 && SCOPE_PATTERN.test(scope);
}

/**
 * The one spelling of a scope list: duplicates dropped, scopes sorted. `a:x b:y`, `b:y a:x` and
 * `a:x b:y a:x` are one scope set, so they share one cached JWT, and this is what is sent.
 */
export function canonicalScope(scope: string): string {
  return [...new Set(scope.split(' '))].sort().join(' ');
}

/** Throws `invalid_options` unless `scope` is a well-formed space-separated scope list. */
export function assertScope(scope: unknown, what: string): string {
  if (!isValidScope(scope)) {
    invalidOption(
      `${what} must be a space-separated list of scopes such as '${COMPUTATIONAL_GOVERNANCE_SCOPE}' (printable ASCII, no quotes or backslashes, single spaces)`,
    );
  }
  return scope;
}
