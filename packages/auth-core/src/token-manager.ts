import { backoffDelay } from './backoff.js';
import { basicAuthorization } from './basic.js';
import { isWitboostAuthError, WitboostAuthError } from './errors.js';
import { EXCHANGE_PATH, type ExchangeResult, exchangeOnce } from './exchange.js';
import type { ResolvedConfig } from './options.js';
import { sanitizeCause } from './sanitize-cause.js';
import { canonicalScope } from './scope.js';
import { readAccessToken } from './sources/resolve-source.js';
import type { AccessTokenSource, WitboostAuthErrorCode, WitboostAuthEvent } from './types.js';

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

/** The per-instance token cache, single-flight exchanges, refresh scheduling and backoff. */
export interface TokenManager {
  readonly defaultSlot: Slot;
  /** The slot of `scope`, created on first use. `scope` must be valid. */
  slotFor(scope: string | undefined): Slot;
  /** Existing slot of `scope`, if any. */
  peekSlot(scope: string | undefined): Slot | undefined;
  /**
   * Whether `token` may be handed out from the warm path. Trusts the timer-driven `fresh` flag,
   * but reads the clock every {@link CLOCK_CHECK_INTERVAL} calls: a timer cannot fire while the
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

const RETRYABLE: ReadonlySet<WitboostAuthErrorCode> = new Set([
  'network_error',
  'timeout',
  'rate_limited',
  'server_error',
]);
const REJECTIONS: ReadonlySet<WitboostAuthErrorCode> = new Set([
  'access_token_rejected',
  'exchange_bad_request',
]);
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
/**
 * Shortest JWT lifetime a refused duration is halved down to: below it a token would be
 * refreshed more often than the exchange is worth, and a 400 is more likely about something else.
 */
const MIN_ADAPTIVE_DURATION_S = 30;
// setTimeout fires at once for larger delays, so long lifetimes are clamped.
const MAX_TIMER_MS = 2_147_483_647;

interface PendingTimer {
  timer: ReturnType<typeof setTimeout>;
  reject: (error: unknown) => void;
}

/** Creates the token manager of one instance (one access token source). */
export function createTokenManager(
  config: ResolvedConfig,
  source: AccessTokenSource,
  emit: (event: WitboostAuthEvent) => void,
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
  const slots = new Map<string, Slot>();
  const pending = new Set<PendingTimer>();
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
  // Settled by close(): every flight races it, so waiters are released even when the work under
  // the flight (a source, a fetch) never settles. Created with the first flight.
  let closedRace: { promise: Promise<never>; reject: (error: unknown) => void } | undefined;
  const whenClosed = (): Promise<never> => {
    if (closedRace === undefined) {
      let reject: (error: unknown) => void = () => undefined;
      const promise = new Promise<never>((_resolve, fail) => {
        reject = fail;
      });
      promise.catch(() => undefined);
      closedRace = { promise, reject };
    }
    return closedRace.promise;
  };

  const closedError = () =>
    new WitboostAuthError('closed', 'this WitboostAuth instance is closed', { principal });

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

  function slotFor(scope: string | undefined): Slot {
    if (basic || scope === undefined) return defaultSlot;
    const key = canonicalScope(scope);
    return slots.get(key) ?? newSlot(key);
  }

  let callsBeforeClockCheck = 0;
  function isFresh(token: TokenState): boolean {
    if (!token.fresh) return false;
    if (--callsBeforeClockCheck > 0) return true;
    callsBeforeClockCheck = CLOCK_CHECK_INTERVAL;
    if (Date.now() < token.refreshAt) return true;
    token.fresh = false; // the stale timer is late: the loop was busy
    return false;
  }

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
    const flight = waitFor(slot, startFlight(slot), signal);
    return flight.then((next) => (wantHeader ? next.headerPromise : next.valuePromise));
  }

  function waitFor(
    slot: Slot,
    flight: Promise<TokenState>,
    signal: AbortSignal | undefined,
  ): Promise<TokenState> {
    if (signal?.aborted) return Promise.reject(abortedError());
    // The caller's signal detaches this caller only; the shared exchange goes on for the others.
    return new Promise((resolve, reject) => {
      let waiting = true;
      const done = () => {
        if (!waiting) return;
        waiting = false;
        signal?.removeEventListener('abort', onAbort);
        slot.waiters--;
        refTimer(slot);
      };
      const onAbort = () => {
        done();
        reject(abortedError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      slot.waiters++;
      refTimer(slot);
      flight.then(
        (token) => {
          done();
          resolve(token);
        },
        (error: unknown) => {
          done();
          reject(error);
        },
      );
    });
  }

  /** Keeps the slot's pending timer ref'd exactly while somebody awaits the flight. */
  function refTimer(slot: Slot): void {
    const timer = slot.timer?.timer;
    if (timer === undefined) return;
    if (slot.waiters > 0) timer.ref?.();
    else timer.unref?.();
  }

  function abortedError() {
    return new WitboostAuthError('aborted', 'waiting for a token was aborted by the caller', {
      principal,
    });
  }

  function startFlight(slot: Slot): Promise<TokenState> {
    if (slot.flight !== undefined) return slot.flight;
    const flight = Promise.race([runFlight(slot), whenClosed()]);
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
          const { code, status } = blocked.error;
          throw new WitboostAuthError(
            code,
            `the JWT exchange asked to wait${status === undefined ? '' : ` (HTTP ${status})`}; retry after ${Math.ceil((blocked.until - startedAt) / 1000)}s`,
            { principal, status, retryAfterMs: blocked.until - startedAt },
          );
        }
      }
      let accessToken: string | undefined;
      try {
        accessToken = await guard(slot, readAccessToken(source, principal));
        if (closed) throw closedError();
        noteAccessToken(accessToken);
        const rejection = slot.rejection;
        if (
          rejection !== undefined &&
          rejection.accessToken === accessToken &&
          startedAt < rejection.until
        ) {
          // Same token, same answer: do not hammer Witboost with a token it just refused.
          throw rejection.error;
        }
        if (basic) return install(slot, basicAuthorization(accessToken), undefined);
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
        if (closed) throw closedError();
        const window = lifetimeWindow(result);
        const arrivedAt = Date.now();
        if (arrivedAt >= window.usableUntil) {
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
          throw new WitboostAuthError(
            'invalid_exchange_response',
            `JWT lifetime shorter than the exchange round trip: a ${result.lifetimeSeconds}s token took ${arrivedAt - startedAt} ms to arrive and was no longer usable (raise durationSeconds or lower refresh.expiryMarginMs)`,
            { principal },
          );
        }
        return install(slot, `Bearer ${result.jwt}`, result, arrivedAt - startedAt, background);
      } catch (raw) {
        if (closed) throw closedError();
        const error = toAuthError(raw);
        if (error === slot.rejection?.error) throw error;
        if (
          error.code === 'exchange_bad_request' &&
          durationSeconds >= 2 * MIN_ADAPTIVE_DURATION_S
        ) {
          durationSeconds = Math.floor(durationSeconds / 2);
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
        let retryInMs: number | undefined;
        if (RETRYABLE.has(error.code)) {
          const delay = backoffDelay(
            attempt++,
            refresh.initialBackoffMs,
            refresh.maxBackoffMs,
            error.retryAfterMs,
          );
          if (usable && slot.token !== undefined) {
            // Wake up no later than expiry: from then on callers are waiting for this flight.
            retryInMs = Math.max(0, Math.min(delay, slot.token.usableUntil - now));
          } else if (
            waitedAttempts < refresh.maxAttempts &&
            !(error.retryAfterMs !== undefined && error.retryAfterMs > refresh.maxBackoffMs)
          ) {
            retryInMs = delay;
          }
        }
        if (
          REJECTIONS.has(error.code) &&
          accessToken !== undefined &&
          refresh.rejectionCooldownMs > 0
        ) {
          slot.rejection = { accessToken, until: now + refresh.rejectionCooldownMs, error };
        }
        const failed: WitboostAuthEvent = {
          type: 'exchange_failed',
          scope: slot.scope,
          durationMs: now - startedAt,
          code: error.code,
          background: usable,
        };
        if (error.status !== undefined) failed.status = error.status;
        if (retryInMs !== undefined) failed.retryInMs = retryInMs;
        emit(failed);
        if (retryInMs === undefined) {
          if (usable && slot.token !== undefined) {
            // Basic: keep the header and look at the source again at the next recheck point.
            if (basic) install(slot, slot.token.header, undefined);
            else slot.refreshGaveUp = slot.token.generation;
          }
          // Any retryable answer with a Retry-After (a 429, a 503…): new callers must not each
          // start an exchange the server just asked us not to send.
          if (!usable && RETRYABLE.has(error.code) && error.retryAfterMs !== undefined) {
            slot.blocked = { until: now + error.retryAfterMs, error };
          }
          throw error;
        }
        await sleep(slot, retryInMs);
      }
    }
  }

  function install(
    slot: Slot,
    headerValue: string,
    result: ExchangeResult | undefined,
    durationMs = 0,
    background = false,
  ): TokenState {
    const now = Date.now();
    const { refreshAt, usableUntil } =
      result === undefined
        ? { refreshAt: now + BASIC_RECHECK_MS, usableUntil: Number.POSITIVE_INFINITY }
        : lifetimeWindow(result);
    // A Basic recheck that found the same access token keeps the very promises callers hold.
    const same = result === undefined ? slot.token : undefined;
    const unchanged = same !== undefined && same.header === headerValue;
    const token: TokenState = {
      header: headerValue,
      headerPromise: unchanged ? same.headerPromise : Promise.resolve(headerValue),
      valuePromise: unchanged
        ? same.valuePromise
        : Promise.resolve(result === undefined ? headerValue : result.jwt),
      fresh: now < refreshAt,
      staleTimer: undefined,
      refreshAt,
      usableUntil,
      generation: ++generation,
    };
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

  /** When a JWT must be refreshed and when it stops being handed out, on the local clock. */
  function lifetimeWindow(result: ExchangeResult): { refreshAt: number; usableUntil: number } {
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

  /** Registers the slot's current timer, ref'd only while callers await the flight. */
  function track(slot: Slot, entry: PendingTimer): void {
    pending.add(entry);
    slot.timer = entry;
    refTimer(slot);
  }

  function untrack(slot: Slot, entry: PendingTimer): void {
    pending.delete(entry);
    if (slot.timer === entry) slot.timer = undefined;
  }

  /**
   * A timer for a backoff pause. Ref'd only while callers wait on it, so a script awaiting a
   * token is not cut short by an idle loop, and a finished script is not kept alive by a pause
   * nobody awaits (a keep-warm or background refresh).
   */
  function sleep(slot: Slot, ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const entry: PendingTimer = {
        timer: setTimeout(() => {
          untrack(slot, entry);
          resolve();
        }, ms),
        reject,
      };
      track(slot, entry);
    });
  }

  /** Bounds a token source read by the exchange timeout and by close(). */
  function guard<T>(slot: Slot, work: Promise<T>): Promise<T> {
    return new Promise((resolve, reject) => {
      const entry: PendingTimer = {
        timer: setTimeout(() => {
          untrack(slot, entry);
          reject(
            new WitboostAuthError(
              'token_source_failed',
              `the access token source (${source.description}) did not answer within ${refresh.exchangeTimeoutMs} ms`,
              { principal },
            ),
          );
        }, refresh.exchangeTimeoutMs),
        reject,
      };
      track(slot, entry);
      work.then(
        (result) => {
          clearTimeout(entry.timer);
          untrack(slot, entry);
          resolve(result);
        },
        (error: unknown) => {
          clearTimeout(entry.timer);
          untrack(slot, entry);
          reject(error);
        },
      );
    });
  }

  function toAuthError(error: unknown): WitboostAuthError {
    if (isWitboostAuthError(error)) return error;
    return new WitboostAuthError('token_source_failed', 'obtaining a token failed unexpectedly', {
      principal,
      cause: sanitizeCause(error),
    });
  }

  function invalidate(headerValue: string): void {
    if (typeof headerValue !== 'string') return;
    for (const slot of slots.values()) {
      // Generation check by value: a stale header from an older token matches nothing.
      if (slot.token !== undefined && slot.token.header === headerValue) {
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
    for (const slot of slots.values()) {
      retire(slot.token);
      slot.token = undefined;
      if (slot.warmTimer !== undefined) clearTimeout(slot.warmTimer);
      slot.warmTimer = undefined;
    }
    for (const entry of pending) {
      clearTimeout(entry.timer);
      entry.reject(closedError());
    }
    pending.clear();
    closedRace?.reject(closedError());
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
    peekSlot: (scope) =>
      basic || scope === undefined
        ? defaultSlot
        : // A canonical scope (the usual case) is found without splitting it.
          (slots.get(scope) ??
          (typeof scope === 'string' ? slots.get(canonicalScope(scope)) : undefined)),
    isFresh,
    header,
    value,
    invalidate,
    isClosed: () => closed,
    closedError,
    close,
  };
}

function retire(token: TokenState | undefined): void {
  if (token === undefined) return;
  token.fresh = false;
  if (token.staleTimer !== undefined) clearTimeout(token.staleTimer);
  token.staleTimer = undefined;
}

function isUsable(token: TokenState | undefined, now: number): token is TokenState {
  return token !== undefined && now < token.usableUntil;
}
