import { basicAuthorization } from './basic.js';
import { isWitboostAuthError, WitboostAuthError } from './errors.js';
import { EXCHANGE_PATH, exchangeOnce } from './exchange.js';
import type { ExchangeResult } from './exchange-result.js';
import {
  blockedError,
  failureEvent,
  halvedDuration,
  noteBlock,
  noteRejection,
  RETRYABLE,
  recentRejection,
  retryPause,
  toAuthError,
  tooShortError,
} from './flight-policy.js';
import { createFlightTimers } from './flight-timers.js';
import type { ResolvedConfig } from './options.js';
import { readAccessToken } from './sources/resolve-source.js';
import type { SharedCache, SharedChange, SlotKey } from './store/shared-cache.js';
import {
  basicWindow,
  createFreshnessCheck,
  createSlotRegistry,
  createTokenState,
  isUsable,
  type LifetimeWindow,
  lifetimeWindow,
  MAX_TIMER_MS,
  retire,
  type Slot,
  type TokenState,
} from './token-state.js';
import type { AccessTokenSource, WitboostAuthEvent } from './types.js';

/** The per-instance token cache, single-flight exchanges, refresh scheduling and backoff. */
export interface TokenManager {
  readonly defaultSlot: Slot;
  /** The slot of `scope`, created on first use. `scope` must be valid. */
  slotFor(scope: string | undefined): Slot;
  /** Existing slot of `scope`, if any. */
  peekSlot(scope: string | undefined): Slot | undefined;
  /**
   * Whether `token` may be handed out from the warm path. Trusts the timer-driven `fresh` flag,
   * but reads the clock every `CLOCK_CHECK_INTERVAL` calls: a timer cannot fire while the
   * event loop is busy (a long synchronous task, a microtask-only loop).
   */
  isFresh(token: TokenState): boolean;
  /** `Authorization` value for a slot; the same promise while the token is fresh. */
  header(slot: Slot, signal: AbortSignal | undefined): Promise<string>;
  /** Raw JWT for a slot; the same promise while the token is fresh. */
  value(slot: Slot, signal: AbortSignal | undefined): Promise<string>;
  invalidate(header: string): void;
  isClosed(): boolean;
  closedError(): WitboostAuthError;
  close(): Promise<void>;
}

/** Creates the token manager of one instance (one access token source). */
export function createTokenManager(
  config: ResolvedConfig,
  source: AccessTokenSource,
  emit: (event: WitboostAuthEvent) => void,
  shared?: SharedCache,
): TokenManager {
  const { refresh, principal } = config;
  const basic = config.mode === 'basic';
  const endpoint = config.baseUrl + EXCHANGE_PATH;
  // Created with the first exchange: most caller identities in a pool never exchange before being
  // evicted, and abort() builds an exception with a stack trace.
  let master: AbortController | undefined;
  const masterSignal = (): AbortSignal => {
    master ??= new AbortController();
    return master.signal;
  };
  const slots = createSlotRegistry(basic);
  const timers = createFlightTimers({
    timeoutMs: refresh.exchangeTimeoutMs,
    sourceDescription: source.description,
    principal,
  });
  const isFresh = createFreshnessCheck();
  let closed = false;
  let closing: Promise<void> | undefined;
  let generation = 0;
  let lastAccessToken: string | undefined;
  /**
   * The JWT lifetime asked for. Witboost refuses (400) a duration beyond the access token's
   * remaining life, so near the end of a PAT's life it is halved until the exchange succeeds,
   * and kept: the access token's remaining life only shrinks.
   */
  let durationSeconds = config.durationSeconds;

  const closedError = () =>
    new WitboostAuthError('closed', 'this WitboostAuth instance is closed', { principal });

  const { defaultSlot, slotFor, peekSlot } = slots;

  function header(slot: Slot, signal: AbortSignal | undefined): Promise<string> {
    const token = slot.token;
    // Warm path: no allocation, and the clock only now and then.
    if (token !== undefined && isFresh(token)) return token.headerPromise;
    return slowPath(slot, signal, true);
  }

  function value(slot: Slot, signal: AbortSignal | undefined): Promise<string> {
    const token = slot.token;
    if (token !== undefined && isFresh(token)) return token.valuePromise;
    return slowPath(slot, signal, false);
  }

  function slowPath(
    slot: Slot,
    signal: AbortSignal | undefined,
    wantHeader: boolean,
  ): Promise<string> {
    if (closed) return Promise.reject(closedError());
    const token = slot.token;
    if (token !== undefined && Date.now() < token.usableUntil) {
      if (slot.flight === undefined && slot.refreshGaveUp !== token.generation) startFlight(slot);
      return wantHeader ? token.headerPromise : token.valuePromise;
    }
    const flight = timers.waitFor(slot, startFlight(slot), signal, abortedError);
    return flight.then((next) => (wantHeader ? next.headerPromise : next.valuePromise));
  }

  function abortedError() {
    return new WitboostAuthError('aborted', 'waiting for a token was aborted by the caller', {
      principal,
    });
  }

  function startFlight(slot: Slot): Promise<TokenState> {
    if (slot.flight !== undefined) return slot.flight;
    const flight = Promise.race([runFlight(slot), timers.whenClosed()]);
    slot.flight = flight;
    flight.then(
      () => {
        if (slot.flight === flight) slot.flight = undefined;
      },
      (error: unknown) => {
        if (slot.flight === flight) slot.flight = undefined;
        if (shouldKeepWarm(slot) && isWitboostAuthError(error) && RETRYABLE.has(error.code)) {
          scheduleWarm(slot, refresh.maxBackoffMs);
        }
      },
    );
    return flight;
  }

  async function runFlight(slot: Slot): Promise<TokenState> {
    let attempt = 0;
    let waitedAttempts = 0;
    let tooShort = 0;
    for (;;) {
      if (closed) throw closedError();
      const startedAt = Date.now();
      const background = isUsable(slot.token, startedAt);
      if (!background) {
        waitedAttempts++;
        const blocked = slot.blocked;
        if (blocked !== undefined && startedAt < blocked.until) {
          throw blockedError(blocked, startedAt, principal);
        }
      }
      let accessToken: string | undefined;
      try {
        accessToken = await timers.guard(slot, readAccessToken(source, principal));
        if (closed) throw closedError();
        noteAccessToken(accessToken);
        // Same token, same answer: do not hammer Witboost with a token it just refused.
        const refused = recentRejection(slot, accessToken, startedAt);
        if (refused !== undefined) throw refused;
        if (basic) return install(slot, basicAuthorization(accessToken), undefined);
        const { jwt, result, window } = await obtainJwt(slot, accessToken, background);
        if (closed) throw closedError();
        const arrivedAt = Date.now();
        if (arrivedAt >= window.usableUntil) {
          if (result === undefined) continue; // a shared JWT that expired in transit: ask again
          // Expired (minus the margin) before it arrived: handing it out would earn a 401. One
          // slow round trip may be bad luck; two mean the lifetime is too short for this link.
          if (tooShort++ === 0) {
            emit({
              type: 'exchange_failed',
              scope: slot.scope,
              durationMs: arrivedAt - startedAt,
              code: 'invalid_exchange_response',
              background,
              retryInMs: 0,
            });
            continue;
          }
          throw tooShortError(result.lifetimeSeconds, arrivedAt - startedAt, principal);
        }
        return install(
          slot,
          `Bearer ${jwt}`,
          result,
          arrivedAt - startedAt,
          background,
          window,
          jwt,
        );
      } catch (raw) {
        if (closed) throw closedError();
        const error = toAuthError(raw, principal);
        if (error === slot.rejection?.error) throw error;
        const halved = halvedDuration(error, durationSeconds);
        if (halved !== undefined) {
          durationSeconds = halved;
          emit({
            type: 'exchange_failed',
            scope: slot.scope,
            durationMs: Date.now() - startedAt,
            code: error.code,
            status: 400,
            background: isUsable(slot.token, Date.now()),
            retryInMs: 0,
          });
          continue;
        }
        const now = Date.now();
        const usable = isUsable(slot.token, now);
        const servedToken = usable ? slot.token : undefined;
        const retryInMs = RETRYABLE.has(error.code)
          ? retryPause(error, attempt++, servedToken, now, waitedAttempts, refresh)
          : undefined;
        noteRejection(slot, error, accessToken, now, refresh.rejectionCooldownMs);
        emit(failureEvent(slot.scope, error, now - startedAt, usable, retryInMs));
        if (retryInMs === undefined) {
          if (usable && slot.token !== undefined) {
            // Basic: keep the header and look at the source again at the next recheck point.
            if (basic) install(slot, slot.token.header, undefined);
            else slot.refreshGaveUp = slot.token.generation;
          }
          noteBlock(slot, error, usable, now);
          throw error;
        }
        await timers.sleep(slot, retryInMs);
      }
    }
  }

  function install(
    slot: Slot,
    headerValue: string,
    result: ExchangeResult | undefined,
    durationMs = 0,
    background = false,
    given?: LifetimeWindow,
    jwt?: string,
  ): TokenState {
    const now = Date.now();
    const window =
      given ?? (result === undefined ? basicWindow(now) : lifetimeWindow(result, refresh));
    const { refreshAt, usableUntil } = window;
    const token = createTokenState(headerValue, result, window, ++generation, now, slot.token, jwt);
    if (token.fresh && refreshAt !== Number.POSITIVE_INFINITY) {
      token.staleTimer = setTimeout(
        () => {
          token.fresh = false;
          token.staleTimer = undefined;
          // keepWarm: refresh an idle process at the refresh point, as a caller would.
          if (shouldKeepWarm(slot) && slot.token === token) startFlight(slot);
        },
        Math.min(refreshAt - now, MAX_TIMER_MS),
      );
      token.staleTimer.unref?.();
    }
    retire(slot.token);
    slot.token = token;
    slot.rejection = undefined;
    slot.blocked = undefined;
    if (result !== undefined) {
      emit({
        type: 'exchange',
        scope: slot.scope,
        durationMs,
        expiresAt: usableUntil,
        lifetimeSeconds: result.lifetimeSeconds,
        background,
      });
      emit({ type: 'refresh_scheduled', scope: slot.scope, refreshAt });
      if (shouldKeepWarm(slot) && !token.fresh) startFlight(slot);
    }
    return token;
  }

  // ---- Store seam (issue 14): the shared store (L2) on a miss or a refresh, never warm. ----
  const watched = new Map<Slot, { key: SlotKey; stop: () => void }>();

  /** One exchange, or the JWT another replica exchanged for the same slot (with a store). */
  async function obtainJwt(
    slot: Slot,
    accessToken: string,
    background: boolean,
  ): Promise<{ jwt: string; result: ExchangeResult | undefined; window: LifetimeWindow }> {
    const own: { result?: ExchangeResult; window?: LifetimeWindow } = {};
    const exchange = async () => {
      const result = await exchangeOnce({
        endpoint,
        accessToken,
        durationSeconds,
        scope: slot.scope,
        fetch: config.fetch,
        signal: masterSignal(),
        timeoutMs: refresh.exchangeTimeoutMs,
        principal,
        tokenLabel: source.description,
      });
      const window = lifetimeWindow(result, refresh);
      own.result = result;
      own.window = window;
      return { jwt: result.jwt, refreshAt: window.refreshAt, deadlineAt: window.usableUntil };
    };
    if (shared === undefined) {
      const { jwt } = await exchange();
      return { jwt, result: own.result, window: own.window as LifetimeWindow };
    }
    const key = { accessToken, baseUrl: config.baseUrl, scope: slot.scope, durationSeconds };
    const options = { refresh: background, signal: masterSignal(), principal };
    const { record, from } = await shared.acquire(key, exchange, options);
    watchSlot(slot, key);
    const window = { refreshAt: record.refreshAt, usableUntil: record.deadlineAt };
    return { jwt: record.jwt, result: from === 'exchange' ? own.result : undefined, window };
  }

  function watchSlot(slot: Slot, key: SlotKey): void {
    const current = watched.get(slot);
    if (current !== undefined && sameKey(current.key, key)) return;
    current?.stop();
    const stop = (shared as SharedCache).watch(key, (change) => onSharedChange(slot, change));
    watched.set(slot, { key, stop });
  }

  /** Another replica replaced the JWT (refresh from the store, in the background) or dropped it. */
  function onSharedChange(slot: Slot, change: SharedChange): void {
    const token = slot.token;
    if (token === undefined || closed) return;
    // Still servable: the next caller starts a background refresh, which finds the new JWT.
    retire(token);
    if (change === 'replaced') return;
    slot.token = undefined;
    emit({ type: 'invalidated', scope: slot.scope });
  }
  // ---- end of store seam ----

  function sameKey(a: SlotKey, b: SlotKey): boolean {
    return a.accessToken === b.accessToken && a.durationSeconds === b.durationSeconds;
  }

  function shouldKeepWarm(slot: Slot): boolean {
    return config.keepWarm && !basic && slot === defaultSlot && !closed;
  }

  function scheduleWarm(slot: Slot, delayMs: number): void {
    if (slot.warmTimer !== undefined) clearTimeout(slot.warmTimer);
    slot.warmTimer = setTimeout(
      () => {
        slot.warmTimer = undefined;
        if (!closed) startFlight(slot);
      },
      Math.min(Math.max(0, delayMs), MAX_TIMER_MS),
    );
    slot.warmTimer.unref?.();
  }

  function noteAccessToken(accessToken: string): void {
    if (lastAccessToken !== undefined && lastAccessToken !== accessToken) {
      emit({ type: 'token_source_changed', source: source.description });
      durationSeconds = config.durationSeconds; // a new access token has a lifetime of its own
    }
    lastAccessToken = accessToken;
  }

  function invalidate(headerValue: string): void {
    if (typeof headerValue !== 'string') return;
    for (const slot of slots.all()) {
      // Generation check by value: a stale header from an older token matches nothing.
      if (slot.token !== undefined && slot.token.header === headerValue) {
        const key = watched.get(slot)?.key; // store seam: drop the shared copy too
        if (key !== undefined) shared?.drop(key, headerValue.slice('Bearer '.length));
        retire(slot.token);
        slot.token = undefined;
        emit({ type: 'invalidated', scope: slot.scope });
        if (shouldKeepWarm(slot)) scheduleWarm(slot, 0);
        return;
      }
    }
  }

  function close(): Promise<void> {
    if (closing !== undefined) return closing;
    closed = true;
    master?.abort();
    for (const { stop } of watched.values()) stop(); // store seam
    watched.clear();
    for (const slot of slots.all()) {
      retire(slot.token);
      slot.token = undefined;
      if (slot.warmTimer !== undefined) clearTimeout(slot.warmTimer);
      slot.warmTimer = undefined;
    }
    timers.release(closedError);
    closing = (async () => {
      try {
        await source.close?.();
      } catch {
        // Closing must succeed even when a source fails to release a watcher.
      }
    })();
    return closing;
  }

  if (config.keepWarm && !basic) startFlight(defaultSlot);

  return {
    defaultSlot,
    slotFor,
    peekSlot,
    isFresh,
    header,
    value,
    invalidate,
    isClosed: () => closed,
    closedError,
    close,
  };
}
