/**
 * Runs `fn` with `props` set on `Object.prototype` (as another bug in the application could),
 * then removes them again, whatever happens.
 */
export async function polluted<T>(
  props: Record<string, unknown>,
  fn: () => Promise<T>,
): Promise<T> {
  const proto = Object.prototype as Record<string, unknown>;
  for (const [key, value] of Object.entries(props)) {
    Object.defineProperty(proto, key, {
      value,
      configurable: true,
      writable: true,
      enumerable: false,
    });
  }
  try {
    return await fn();
  } finally {
    for (const key of Object.keys(props)) delete proto[key];
  }
}
