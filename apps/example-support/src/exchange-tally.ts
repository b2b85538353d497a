import type { WitboostAuthEvent } from '@wb/auth-core';

/** Token exchanges counted by scope, fed by `createWitboostAuth`'s `onEvent`. */
export interface ExchangeTally {
  /** Exchanges by requested scope (`'(none)'` for the default JWT). */
  readonly byScope: Record<string, number>;
  /** Pass as `onEvent`: counts each `exchange` event. */
  onEvent(event: WitboostAuthEvent): void;
  /** All exchanges so far. */
  total(): number;
  /** For a log line: `'(none) x1, service:computational-governance x1'`, or `'none'`. */
  describe(): string;
}

/**
 * Counts the token exchanges an example makes, by scope: what each example reports at its end.
 *
 * @example
 * ```ts
 * import { createWitboostAuth } from '@wb/auth-core';
 * import { exchangeTally } from '@wb/example-support';
 * const tally = exchangeTally();
 * const auth = createWitboostAuth({ baseUrl, accessToken, onEvent: tally.onEvent });
 * await auth.getToken();
 * console.log(tally.total(), tally.describe()); // 1 '(none) x1'
 * ```
 */
export function exchangeTally(): ExchangeTally {
  const byScope: Record<string, number> = {};
  return {
    byScope,
    onEvent(event) {
      if (event.type !== 'exchange') return;
      const scope = event.scope ?? '(none)';
      byScope[scope] = (byScope[scope] ?? 0) + 1;
    },
    total: () => Object.values(byScope).reduce((a, b) => a + b, 0),
    describe: () =>
      Object.entries(byScope)
        .map(([scope, n]) => `${scope} x${n}`)
        .join(', ') || 'none',
  };
}
