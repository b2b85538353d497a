import { abortedError, closedError, WitboostAuthError } from '../errors.js';
import type { ResolvedRefresh } from '../options.js';
import type {
  Principal,
  WitboostAuthEvent,
  WitboostScopeState,
  WitboostScopeStatus,
} from '../types.js';
import type { Clock } from './clock.js';
import {
  type Backoff,
  basicTimes,
  NO_BACKOFF,
  nextBackoff,
  RETRYABLE,
  type TokenTimes,
  toAuthError,
} from './retry-policy.js';
import type { WakeQueue } from './wake-queue.js';

/**
 * The life of one scope's token. Rules:
 * 1. A token is handed out until its deadline, whatever else happens (outage, slow refresh).
 * 2. From its refresh point, a caller (or keepWarm's timer) starts one background attempt when
 *    the backoff allows; callers keep getting the token meanwhile.
 * 3. With no servable token a caller waits: for the attempt under way, or for the next one the
 *    backoff allows if that falls within its bound (`maxWaitMs`); else it fails fast with the last
 *    error and the time to the next attempt. Nobody waits past the bound or `maxAttempts`.
 * 4. One attempt at a time. A retryable failure moves the backoff on (see `nextBackoff`); only a
 *    success resets it, never a caller. A refusal (400/401/403) is not retried in the background:
 *    the token is served until its deadline.
 * 5. One wake-up, on the instance's shared timer, unref'd unless a caller waits: at the refresh
 *    point, the next attempt somebody needs, or the first waiter's bound, whichever comes first.
 */

/** What a slot needs from its engine (the token engine). */
export interface SlotHost {
  readonly clock: Clock;
  readonly random: () => number;
  readonly refresh: ResolvedRefresh;
  readonly principal: Principal;
  readonly wakes: WakeQueue;
  emit(event: WitboostAuthEvent): void;
  isClosed(): boolean;
  /** One attempt: read the source, then exchange (or build the Basic header). */
  obtain(slot: Slot, background: boolean): Promise<Obtained>;
}

export interface Obtained {
  header: string;
  value: string;
  times: TokenTimes;
  /** Set when an exchange produced it (not Basic, not the shared store). */
  exchange?: { durationMs: number; lifetimeSeconds: number };
}

/** Thrown by `obtain` for an access token refused moments ago: nothing was sent. */
export class Refused {
  constructor(readonly error: WitboostAuthError) {}
}

/** The `exchange_failed` event; `status` and `retryInMs` only when known. */
export function failedEvent(
  scope: string | undefined,
  error: WitboostAuthError,
  durationMs: number,
  background: boolean,
  retryInMs: number | undefined,
): WitboostAuthEvent {
  const event: WitboostAuthEvent = {
    type: 'exchange_failed',
    scope,
    durationMs,
    code: error.code,
    background,
  };
  if (error.status !== undefined) event.status = error.status;
  if (retryInMs !== undefined) event.retryInMs = retryInMs;
  return event;
}

let generations = 0;

/** A token ready to hand out, with the promise the warm path returns as it is. */
export class Token {
  /** Until the refresh point; flipped by the timer, as `Date.now()` costs more than the rest of the warm path. */
  fresh: boolean;
  readonly headerPromise: Promise<string>;
  readonly generation = ++generations;
  #valuePromise: Promise<string> | undefined;

  constructor(
    /** `Bearer <jwt>` or the Basic header: the JWT is sliced from it, so it is held once. */
    readonly header: string,
    private readonly valueStart: number,
    readonly refreshAt: number,
    readonly deadline: number,
    now: number,
    same: Token | undefined,
  ) {
    this.fresh = now < refreshAt;
    // A Basic recheck that found the same access token keeps the very promises callers hold.
    this.headerPromise = same?.headerPromise ?? Promise.resolve(header);
    this.#valuePromise = same === undefined ? undefined : same.#valuePromise;
  }

  get value(): string {
    return this.valueStart === 0 ? this.header : this.header.slice(this.valueStart);
  }

  // Built on first use: most caller identities only ever ask for the header.
  get valuePromise(): Promise<string> {
    this.#valuePromise ??= Promise.resolve(this.value);
    return this.#valuePromise;
  }
}

interface Waiter {
  readonly until: number;
  readonly header: boolean;
  attempts: number;
  done: boolean;
  resolve(value: string): void;
  reject(error: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

export class Slot {
  token: Token | undefined = undefined;
  attempting = false;
  backoff: Backoff = NO_BACKOFF;
  /** Generation whose background refresh was refused: served until its deadline, no retry. */
  gaveUp = 0;
  rejection: { accessToken: string; until: number; error: WitboostAuthError } | undefined;
  lastError: WitboostAuthError | undefined = undefined;
  lastErrorAt = 0;
  lastExchangeAt = 0;
  hadToken = false;
  waiting = 0;
  /** Aborts the attempt under way. */
  controller: AbortController | undefined = undefined;
  private waiters: Waiter[] | undefined = undefined;
  wakeAt = Number.POSITIVE_INFINITY;
  wakeIndex = -1;
  wakeRef = false;

  constructor(
    readonly host: SlotHost,
    readonly scope: string | undefined,
    readonly keepWarm: boolean,
  ) {}

  servable(now: number): boolean {
    return this.token !== undefined && now < this.token.deadline;
  }

  mayAttempt(now: number): boolean {
    return !this.attempting && now >= this.backoff.nextAttemptAt && !this.host.isClosed();
  }

  /** A waiter, keepWarm or a retried refresh needs one; after a refusal only a caller does. */
  needsAttempt(now: number): boolean {
    if (this.waiting > 0) return true;
    const retrying = this.backoff.nextAttemptAt > 0;
    const warm = this.keepWarm && (retrying || this.backoff.failures === 0);
    const token = this.token;
    if (token === undefined || now >= token.deadline) return warm;
    return now >= token.refreshAt && token.generation !== this.gaveUp && (warm || retrying);
  }

  /** The header (or raw value) off the warm path. */
  take(header: boolean, signal: AbortSignal | undefined): Promise<string> {
    const host = this.host;
    const now = host.clock.now();
    const token = this.token;
    if (token !== undefined && now < token.deadline) {
      if (now < token.refreshAt) {
        host.emit({ type: 'cache_lookup', level: 'l1', scope: this.scope, result: 'hit' });
      } else {
        token.fresh = false;
        // Every call lands here until the new token arrives; only the one starting the refresh
        // is a lookup (an event for each took bench rollover_p99_vs_steady from 0.97 to 1.39).
        if (token.generation !== this.gaveUp && this.mayAttempt(now)) {
          host.emit({ type: 'cache_lookup', level: 'l1', scope: this.scope, result: 'hit' });
          this.attempt(now, true);
        }
      }
      return header ? token.headerPromise : token.valuePromise;
    }
    host.emit({ type: 'cache_lookup', level: 'l1', scope: this.scope, result: 'miss' });
    if (token !== undefined) this.expire();
    if (!this.attempting) {
      if (this.mayAttempt(now)) this.attempt(now, false);
      else if (this.backoff.nextAttemptAt - now > host.refresh.maxWaitMs) {
        return Promise.reject(this.failFast(now));
      }
    }
    return this.enqueue(now, header, signal);
  }

  drop(header: string): boolean {
    if (this.token?.header !== header) return false;
    this.expire();
    this.schedule();
    return true;
  }

  dispose(): void {
    this.host.wakes.delete(this);
    this.expire();
    this.settleWaiters(() => closedError(this.host.principal));
  }

  status(now: number): WitboostScopeStatus {
    const token = this.token;
    const failing = this.backoff.failures > 0;
    let state: WitboostScopeState;
    if (token !== undefined && now < token.deadline) {
      state = this.attempting ? 'refreshing' : failing ? 'failing' : 'fresh';
    } else state = failing ? 'failing' : this.hadToken ? 'expired' : 'empty';
    const status: WitboostScopeStatus = {
      scope: this.scope,
      state,
      consecutiveFailures: this.backoff.failures,
      waiting: this.waiting,
    };
    if (token !== undefined) {
      if (Number.isFinite(token.deadline)) status.expiresAt = token.deadline;
      status.refreshAt = token.refreshAt;
    }
    if (this.lastExchangeAt > 0) status.lastExchangeAt = this.lastExchangeAt;
    if (this.lastError !== undefined) {
      status.lastError = { code: this.lastError.code, at: this.lastErrorAt };
    }
    return status;
  }

  /** `background`: a servable token covers callers meanwhile. */
  attempt(now: number, background: boolean): void {
    this.attempting = true;
    this.host.obtain(this, background).then(
      (got) => this.succeeded(got, background),
      (error: unknown) => this.failed(error, now),
    );
    this.schedule();
  }

  install(got: Obtained, now: number): Token {
    const previous = this.token;
    const same =
      previous?.header === got.header && got.exchange === undefined ? previous : undefined;
    if (previous !== undefined) previous.fresh = false;
    const start = got.header.length - got.value.length;
    const { refreshAt, deadline } = got.times;
    const token = new Token(got.header, start, refreshAt, deadline, now, same);
    this.token = token;
    this.hadToken = true;
    return token;
  }

  private succeeded(got: Obtained, background: boolean): void {
    this.attempting = false;
    const host = this.host;
    if (host.isClosed()) return;
    const now = host.clock.now();
    const token = this.install(got, now);
    this.backoff = NO_BACKOFF;
    this.rejection = undefined;
    const resolved = (w: Waiter) => (w.header ? token.header : token.value);
    this.settleWaiters(undefined, resolved);
    if (got.exchange !== undefined) {
      this.lastExchangeAt = now;
      host.emit({
        type: 'exchange',
        scope: this.scope,
        durationMs: got.exchange.durationMs,
        expiresAt: token.deadline,
        lifetimeSeconds: got.exchange.lifetimeSeconds,
        background,
      });
      host.emit({ type: 'refresh_scheduled', scope: this.scope, refreshAt: token.refreshAt });
    }
    this.schedule();
  }

  private failed(raw: unknown, startedAt: number): void {
    this.attempting = false;
    const host = this.host;
    if (host.isClosed()) return;
    if (raw instanceof Refused) {
      this.settleWaiters(() => raw.error);
      this.schedule();
      return;
    }
    const error = toAuthError(raw, host.principal);
    const now = host.clock.now();
    this.lastError = error;
    this.lastErrorAt = now;
    this.lastExchangeAt = now;
    const servable = this.servable(now);
    let retryInMs: number | undefined;
    if (RETRYABLE.has(error.code)) {
      const { refresh, random } = host;
      this.backoff = nextBackoff(this.backoff, startedAt, now, error.retryAfterMs, refresh, random);
      retryInMs = this.backoff.nextAttemptAt - now;
    } else {
      this.backoff = { ...this.backoff, failures: this.backoff.failures + 1, nextAttemptAt: 0 };
      const token = this.token;
      if (servable && token !== undefined) {
        // Basic: keep the header and look at the source again at the next recheck point.
        if (Number.isFinite(token.deadline)) this.gaveUp = token.generation;
        else
          this.install({ header: token.header, value: token.value, times: basicTimes(now) }, now);
      }
    }
    host.emit(failedEvent(this.scope, error, now - startedAt, servable, retryInMs));
    const next = this.backoff.nextAttemptAt;
    const maxAttempts = host.refresh.maxAttempts;
    this.settleWaiters((w) => {
      w.attempts++;
      const keep = retryInMs !== undefined && w.attempts < maxAttempts && next <= w.until;
      return keep ? undefined : error;
    });
    this.schedule();
  }

  /** For a caller arriving (or timing out) between attempts. */
  private failFast(now: number): WitboostAuthError {
    const last = this.lastError;
    const waitMs = Math.max(0, this.backoff.nextAttemptAt - now);
    const said = last?.message.replace(/^\[@wb\/auth-core\] /, '') ?? 'no token yet';
    return new WitboostAuthError(
      last?.code ?? 'timeout',
      `${said}; next attempt in ${Math.ceil(waitMs / 1000)}s`,
      { status: last?.status, retryAfterMs: waitMs, principal: this.host.principal },
    );
  }

  private expire(): void {
    const token = this.token;
    if (token === undefined) return;
    token.fresh = false;
    this.token = undefined;
  }

  private enqueue(now: number, header: boolean, signal: AbortSignal | undefined): Promise<string> {
    const host = this.host;
    if (signal?.aborted) return Promise.reject(abortedError(host.principal, signal.reason));
    return new Promise<string>((resolve, reject) => {
      const waiter: Waiter = {
        until: now + host.refresh.maxWaitMs,
        header,
        attempts: 0,
        done: false,
        resolve,
        reject,
        signal,
        onAbort: undefined,
      };
      if (signal !== undefined) {
        // Detaches this caller only; the attempt goes on for the others.
        waiter.onAbort = () => {
          this.leave(waiter);
          reject(abortedError(host.principal, signal.reason));
          this.schedule();
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      if (this.waiters === undefined) this.waiters = [waiter];
      else this.waiters.push(waiter);
      this.waiting++;
      host.emit({ type: 'caller_waiting', scope: this.scope, delta: 1 });
      this.schedule();
    });
  }

  private leave(waiter: Waiter): void {
    if (waiter.done) return;
    waiter.done = true;
    this.waiting--;
    if (waiter.onAbort !== undefined) waiter.signal?.removeEventListener('abort', waiter.onAbort);
    this.host.emit({ type: 'caller_waiting', scope: this.scope, delta: -1 });
  }

  /** `failWith(w)`: an error rejects `w`, `undefined` keeps it; without it, all get `resolved(w)`. */
  private settleWaiters(
    failWith: ((w: Waiter) => unknown) | undefined,
    resolved?: (w: Waiter) => string,
  ): void {
    const waiters = this.waiters;
    if (waiters === undefined) return;
    const kept: Waiter[] = [];
    for (const waiter of waiters) {
      if (waiter.done) continue;
      const error = failWith?.(waiter);
      if (failWith !== undefined && error === undefined) {
        kept.push(waiter);
        continue;
      }
      this.leave(waiter);
      if (error === undefined && resolved !== undefined) waiter.resolve(resolved(waiter));
      else waiter.reject(error);
    }
    this.waiters = kept.length > 0 ? kept : undefined;
  }

  private expireWaiters(now: number): void {
    this.settleWaiters((w) => {
      if (now <= w.until) return undefined;
      // The last error and the time to the next attempt say more than a timeout.
      if (this.lastError !== undefined && this.backoff.failures > 0) return this.failFast(now);
      return new WitboostAuthError(
        'timeout',
        `no token within ${this.host.refresh.maxWaitMs} ms: the exchange is still running`,
        { principal: this.host.principal },
      );
    });
  }

  /** Rule 5. */
  schedule(): void {
    const now = this.host.clock.now();
    let at = Number.POSITIVE_INFINITY;
    const token = this.token;
    if (token?.fresh) at = token.refreshAt;
    if (!this.attempting && this.needsAttempt(now) && !this.host.isClosed()) {
      at = Math.min(at, Math.max(this.backoff.nextAttemptAt, now));
    }
    // +1 ms: a bound that ends with the attempt's own timeout lets the attempt's error win.
    const head = this.waiters?.find((w) => !w.done);
    if (head !== undefined) at = Math.min(at, head.until + 1);
    // A script awaiting a token must not exit under it; an idle one must not be kept alive.
    if (at === Number.POSITIVE_INFINITY) this.host.wakes.delete(this);
    else this.host.wakes.set(this, at, this.waiting > 0);
  }

  wake(): void {
    const now = this.host.clock.now();
    const token = this.token;
    if (token?.fresh && now >= token.refreshAt) token.fresh = false;
    this.expireWaiters(now);
    if (this.mayAttempt(now) && this.needsAttempt(now)) this.attempt(now, this.servable(now));
    else this.schedule();
  }
}
