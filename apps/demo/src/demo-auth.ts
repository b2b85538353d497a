import {
  createWitboostAuth,
  type WitboostAuth,
  type WitboostAuthEvent,
  type WitboostAuthOptions,
} from '@wb/auth-core';
import type { DemoContext } from './context.js';
import { describeEvent } from './events.js';

type EventOf<T extends WitboostAuthEvent['type']> = Extract<WitboostAuthEvent, { type: T }>;

/** A `createWitboostAuth` instance whose events are printed, counted and awaitable. */
export interface DemoAuth {
  readonly auth: WitboostAuth;
  /** Every event so far, in order. */
  readonly events: readonly WitboostAuthEvent[];
  /** Events of one type so far. */
  count(type: WitboostAuthEvent['type']): number;
  /** Resolves at the next event of `type` (after this call) matching `match`. */
  next<T extends WitboostAuthEvent['type']>(
    type: T,
    match?: (event: EventOf<T>) => boolean,
  ): Promise<EventOf<T>>;
  /** `token #1`, `token #2`…: tells JWTs apart on screen without showing any of them. */
  label(authorization: string | undefined): string;
}

const EXCHANGE_SUFFIX = '/api/auth/access-tokens/jwt';

/**
 * `createWitboostAuth` with the demo's access token and base URL, plus `options`. Every event
 * is printed as it happens; requests and exchanges go into the section's tally; the instance is
 * closed when the section ends.
 */
export function createDemoAuth(
  ctx: DemoContext,
  options: Partial<WitboostAuthOptions> = {},
): DemoAuth {
  const events: WitboostAuthEvent[] = [];
  const waiters = new Set<{
    type: string;
    match: (e: WitboostAuthEvent) => boolean;
    resolve: (e: WitboostAuthEvent) => void;
  }>();
  const labels = new Map<string, number>();
  let pendingExchange: EventOf<'exchange'> | undefined;

  function onEvent(event: WitboostAuthEvent): void {
    events.push(event);
    if (event.type === 'exchange' || event.type === 'exchange_failed') ctx.tally.exchanges += 1;
    // `exchange` is always followed by its `refresh_scheduled`: print the two as one line.
    if (event.type === 'refresh_scheduled' && pendingExchange !== undefined) {
      ctx.report.event(describeEvent(pendingExchange, event));
      pendingExchange = undefined;
    } else {
      if (pendingExchange !== undefined) ctx.report.event(describeEvent(pendingExchange));
      pendingExchange = undefined;
      if (event.type === 'exchange') pendingExchange = event;
      else ctx.report.event(describeEvent(event));
    }
    for (const waiter of waiters) {
      if (waiter.type === event.type && waiter.match(event)) {
        waiters.delete(waiter);
        waiter.resolve(event);
      }
    }
  }

  const auth = createWitboostAuth({
    baseUrl: ctx.baseUrl,
    accessToken: ctx.accessToken,
    ...options,
    onEvent,
    fetch: (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (!new URL(url).pathname.endsWith(EXCHANGE_SUFFIX)) ctx.tally.requests += 1;
      return globalThis.fetch(input, init);
    },
  });
  ctx.defer(() => auth.close());

  return {
    auth,
    events,
    count: (type) => events.filter((e) => e.type === type).length,
    next(type, match = () => true) {
      return new Promise((resolve) => {
        waiters.add({
          type,
          match: match as (e: WitboostAuthEvent) => boolean,
          resolve: resolve as (e: WitboostAuthEvent) => void,
        });
      });
    },
    label(authorization) {
      if (authorization === undefined) return 'no token';
      let n = labels.get(authorization);
      if (n === undefined) {
        n = labels.size + 1;
        labels.set(authorization, n);
      }
      return `token #${n}`;
    },
  };
}
