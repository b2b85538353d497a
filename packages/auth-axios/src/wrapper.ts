/** On each of our wrapper functions, what it wraps. */
const WRAPS = Symbol('witboost.wraps');

type Marked = { [WRAPS]?: unknown };

/**
 * Marks `wrapper` as ours, wrapping `original`, so that wrapping the same request again (a 401
 * replay) wraps `original` rather than our wrapper. A property, not a WeakMap: wrappers are made
 * per request, and a WeakMap entry each costs the garbage collector.
 */
export function markWrapper<F extends (...args: never[]) => unknown>(
  wrapper: F,
  original: unknown,
): F {
  (wrapper as Marked)[WRAPS] = original;
  return wrapper;
}

/** What `value` wraps when it is one of our wrappers, else `value` itself. */
export function unwrapped<T>(value: T): T {
  return typeof value === 'function' && WRAPS in value ? ((value as Marked)[WRAPS] as T) : value;
}
