/**
 * A copy of an options object holding only the caller's own enumerable properties, on a null
 * prototype: whatever another bug in the application put on `Object.prototype` (`origins`,
 * `fetch`, `scopes`, `allowInsecureHttp`, `identity`…) is not read through it. Anything that is
 * not an object is returned as it is, for the caller's own type check to reject.
 *
 * Use it once where a public function receives options, and on every nested options object
 * (`refresh`, each `origins` entry, each scope rule): a property missing from the copy is
 * `undefined`, never an inherited value.
 *
 * @param options - What the caller passed.
 * @returns The own-properties copy, or `options` itself when it is not a non-array object.
 *
 * @example
 * ```ts
 * import { ownOptions } from '@wb/auth-core';
 * export function createClient(options: ClientOptions) {
 *   const { auth, timeoutMs } = ownOptions(options); // never Object.prototype.auth
 * }
 * ```
 */
export function ownOptions<T>(options: T): T {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return options;
  return Object.assign(Object.create(null), options);
}
