import type { WitboostAuthError } from './errors.js';
import type { ExchangeResult } from './exchange-result.js';
import type { PendingTimer } from './flight-timers.js';
import type { ResolvedRefresh } from './options.js';
import { canonicalScope } from './scope.js';

/** A token ready to hand out, with the promises the warm path returns as they are. */
export interface TokenState {
  readonly header: string;
  readonly headerPromise: Promise<string>;
  readonly valuePromise: Promise<string>;
  /**
   * True until the refresh point. Flipped by an unref'd timer rather than read from the clock:
   * on common VMs `Date.now()` costs more than the whole rest of the warm path.
   */
  fresh: boolean;
  staleTimer: ReturnType<typeof setTimeout> | undefined;
  /** Local epoch ms from which the next caller triggers a background refresh. */
  readonly refreshAt: number;
  /** Local epoch ms from which the token is no longer handed out. */
  readonly usableUntil: number;
  readonly generation: number;
}

/** Cache entry of one scope (bearer) or of the single Basic header. */
export interface Slot {
  readonly scope: string | undefined;
  token: TokenState | undefined;
  flight: Promise<TokenState> | undefined;
  /** Generation whose background refresh failed for good: it is served until it expires. */
  refreshGaveUp: number;
  rejection: { accessToken: string; until: number; error: WitboostAuthError } | undefined;
  /** A retryable failure with a long Retry-After: waiting callers fail fast until then. */
  blocked: { until: number; error: WitboostAuthError } | undefined;
  warmTimer: ReturnType<typeof setTimeout> | undefined;
  /** Callers awaiting this slot's flight: its timers keep the process alive only while > 0. */
  waiters: number;
  /** The backoff pause or source-read bound the flight is in, if any. */
  timer: PendingTimer | undefined;
}

/** When a token must be refreshed and when it stops being handed out, on the local clock. */
export interface LifetimeWindow {
  refreshAt: number;
  usableUntil: number;
}

/**
 * How many warm calls may trust the `fresh` flag before the clock is read again. Reading it on
 * every call halves warm throughput on VMs with a slow clock source; every 32nd costs ~3%.
 */
export const CLOCK_CHECK_INTERVAL = 32;
/**
 * How long a Basic header is handed out before the source is read again: a rotated access token
 * (a Kubernetes secret, Vault) reaches Basic mode without waiting for a 401. The caller at the
 * recheck point still gets the current header at once; a background read replaces it only when
 * the access token changed.
 */
export const BASIC_RECHECK_MS = 60_000;
// setTimeout fires at once for larger delays, so long lifetimes are clamped.
export const MAX_TIMER_MS = 2_147_483_647;

/** The slots of one token manager, keyed by canonical scope. */
export interface SlotRegistry {
  readonly defaultSlot: Slot;
  /** The slot of `scope`, created on first use. `scope` must be valid. */
  slotFor(scope: string | undefined): Slot;
  /** Existing slot of `scope`, if any. */
  peekSlot(scope: string | undefined): Slot | undefined;
  all(): IterableIterator<Slot>;
}

/** Creates the slot registry of one token manager; Basic mode has the default slot only. */
export function createSlotRegistry(basic: boolean): SlotRegistry {
  const slots = new Map<string, Slot>();
  function newSlot(scope: string | undefined): Slot {
    const slot: Slot = {
      scope,
      token: undefined,
      flight: undefined,
      refreshGaveUp: 0,
      rejection: undefined,
      blocked: undefined,
      warmTimer: undefined,
      waiters: 0,
      timer: undefined,
    };
    slots.set(scope ?? '', slot);
    return slot;
  }
  const defaultSlot = newSlot(undefined);
  return {
    defaultSlot,
    slotFor(scope) {
      if (basic || scope === undefined) return defaultSlot;
      const key = canonicalScope(scope);
      return slots.get(key) ?? newSlot(key);
    },
    peekSlot: (scope) =>
      basic || scope === undefined
        ? defaultSlot
        : // A canonical scope (the usual case) is found without splitting it.
          (slots.get(scope) ??
          (typeof scope === 'string' ? slots.get(canonicalScope(scope)) : undefined)),
    all: () => slots.values(),
  };
}

/**
 * A warm-path freshness check with its own call counter: trusts the timer-driven `fresh` flag,
 * but reads the clock every {@link CLOCK_CHECK_INTERVAL} calls, because a timer cannot fire while
 * the event loop is busy (a long synchronous task, a microtask-only loop).
 */
export function createFreshnessCheck(): (token: TokenState) => boolean {
  let callsBeforeClockCheck = 0;
  return (token) => {
    if (!token.fresh) return false;
    if (--callsBeforeClockCheck > 0) return true;
    callsBeforeClockCheck = CLOCK_CHECK_INTERVAL;
    if (Date.now() < token.refreshAt) return true;
    token.fresh = false; // the stale timer is late: the loop was busy
    return false;
  };
}

/** When a JWT must be refreshed and when it stops being handed out, on the local clock. */
export function lifetimeWindow(result: ExchangeResult, refresh: ResolvedRefresh): LifetimeWindow {
  const lifetimeMs = result.lifetimeSeconds * 1000;
  // exp/iat are whole seconds (+1 s), and the request still has to travel (the margin);
  // but a short-lived token stays usable for at least half its life.
  const margin = Math.min(
    Math.min(refresh.expiryMarginMs, lifetimeMs * 0.1) + 1000,
    lifetimeMs / 2,
  );
  const usableUntil = result.sentAt + lifetimeMs - margin;
  const ratio = refresh.refreshAtRatio + Math.random() * refresh.jitterRatio;
  return { refreshAt: Math.min(result.sentAt + lifetimeMs * ratio, usableUntil), usableUntil };
}

/** A Basic header never expires; it is only rechecked against the source. */
export function basicWindow(now: number): LifetimeWindow {
  return { refreshAt: now + BASIC_RECHECK_MS, usableUntil: Number.POSITIVE_INFINITY };
}

/**
 * The token to hand out for `header` over `window`. A Basic recheck (`result` undefined) that
 * found the same access token keeps the very promises callers hold.
 */
export function createTokenState(
  header: string,
  result: ExchangeResult | undefined,
  window: LifetimeWindow,
  generation: number,
  now: number,
  previous: TokenState | undefined,
  jwt: string | undefined = result?.jwt,
): TokenState {
  const same = result === undefined ? previous : undefined;
  const unchanged = same !== undefined && same.header === header;
  return {
    header,
    headerPromise: unchanged ? same.headerPromise : Promise.resolve(header),
    valuePromise: unchanged ? same.valuePromise : Promise.resolve(jwt ?? header),
    fresh: now < window.refreshAt,
    staleTimer: undefined,
    refreshAt: window.refreshAt,
    usableUntil: window.usableUntil,
    generation,
  };
}

export function isUsable(token: TokenState | undefined, now: number): token is TokenState {
  return token !== undefined && now < token.usableUntil;
}

/** Stops handing `token` out from the warm path and drops its stale timer. */
export function retire(token: TokenState | undefined): void {
  if (token === undefined) return;
  token.fresh = false;
  if (token.staleTimer !== undefined) clearTimeout(token.staleTimer);
  token.staleTimer = undefined;
}
