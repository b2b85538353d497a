import { basicAuthorization } from '../basic.js';
import { closedError, WitboostAuthError } from '../errors.js';
import { EXCHANGE_PATH, exchangeOnce } from '../exchange.js';
import type { ResolvedConfig, ResolvedRefresh } from '../options.js';
import { canonicalScope } from '../options.js';
import { readAccessToken } from '../sources/resolve-source.js';
import type {
  SharedCache,
  SharedChange,
  SharedTokenRecord,
  SlotKey,
} from '../store/shared-cache.js';
import type {
  AccessTokenSource,
  Principal,
  WitboostAuthEvent,
  WitboostAuthStatus,
} from '../types.js';
import type { Clock } from './clock.js';
import {
  basicTimes,
  halvedDuration,
  type Latency,
  observeLatency,
  REJECTIONS,
  toAuthError,
  tokenTimes,
} from './retry-policy.js';
import { failedEvent, type Obtained, Refused, Slot, type SlotHost, type Token } from './slot.js';
import type { WakeQueue } from './wake-queue.js';

/** What every identity of one `createWitboostAuth` shares: resolved once, never copied. */
export interface EngineShared {
  readonly config: ResolvedConfig;
  readonly emit: (event: WitboostAuthEvent) => void;
  readonly clock: Clock;
  readonly random: () => number;
  readonly cache: SharedCache | undefined;
  /** One link to the exchange endpoint, so one smoothed latency for every identity. */
  readonly link: { latency: Latency | undefined };
  readonly wakes: WakeQueue;
}

// Reading the clock on every warm call halves throughput on VMs with a slow clock source; every
// 32nd costs ~3%.
const CLOCK_CHECK_INTERVAL = 32;

/**
 * The tokens of one identity (one access token source), a slot per scope (LRU-bounded), and how
 * a slot obtains one: read the source, exchange, halve a refused duration, remember a refusal.
 */
export class TokenEngine implements SlotHost {
  readonly clock: Clock;
  readonly random: () => number;
  readonly refresh: ResolvedRefresh;
  readonly wakes: WakeQueue;
  readonly defaultSlot: Slot;
  /** Scoped slots, least recently used first (touched off the warm path only). */
  slots: Map<string, Slot> | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;
  private clockCountdown = 0;
  // Witboost refuses (400) a duration beyond the access token's remaining life: near a PAT's end
  // it is halved until an exchange succeeds, and kept, as that life only shrinks.
  private durationSeconds: number;
  private lastAccessToken: string | undefined;
  /** Set by a rejection or invalidate(): the next read bypasses the source's own cache. */
  private reread = false;
  /** Each slot's subscription to changes other replicas make to its shared entry. */
  private watches: Map<Slot, { key: SlotKey; stop: () => void }> | undefined;

  constructor(
    readonly shared: EngineShared,
    readonly source: AccessTokenSource,
    readonly principal: Principal,
    keepWarm: boolean,
  ) {
    const { config } = shared;
    this.clock = shared.clock;
    this.random = shared.random;
    this.refresh = config.refresh;
    this.wakes = shared.wakes;
    this.durationSeconds = config.durationSeconds;
    this.defaultSlot = new Slot(this, undefined, keepWarm && config.mode === 'bearer');
    if (this.defaultSlot.keepWarm) this.defaultSlot.attempt(this.clock.now(), false);
  }

  emit(event: WitboostAuthEvent): void {
    this.shared.emit(event);
  }

  isClosed(): boolean {
    return this.closed;
  }

  /** The `fresh` flag, checked against the clock now and then: a busy loop delays the timer. */
  isFresh(token: Token): boolean {
    if (!token.fresh) return false;
    if (--this.clockCountdown > 0) return true;
    this.clockCountdown = CLOCK_CHECK_INTERVAL;
    if (this.clock.now() < token.refreshAt) return true;
    token.fresh = false;
    return false;
  }

  slotFor(scope: string | undefined): Slot {
    if (scope === undefined || this.shared.config.mode === 'basic') return this.defaultSlot;
    this.slots ??= new Map();
    const slots = this.slots;
    const key = slots.has(scope) ? scope : canonicalScope(scope);
    let slot = slots.get(key);
    if (slot !== undefined) slots.delete(key);
    else {
      slot = new Slot(this, key, false);
      if (slots.size >= this.shared.config.maxScopes) this.unwatch(evictOne(slots));
    }
    slots.set(key, slot);
    return slot;
  }

  private all(): Slot[] {
    return this.slots === undefined
      ? [this.defaultSlot]
      : [this.defaultSlot, ...this.slots.values()];
  }

  invalidate(header: string): void {
    if (typeof header !== 'string' || this.closed) return;
    for (const slot of this.all()) {
      const token = slot.token;
      if (token === undefined || !slot.drop(header)) continue;
      this.reread = true;
      if (this.lastAccessToken !== undefined) {
        this.shared.cache?.drop(this.keyOf(slot, this.lastAccessToken), token.value);
      }
      this.emit({ type: 'invalidated', scope: slot.scope });
      return;
    }
  }

  status(): WitboostAuthStatus {
    const now = this.clock.now();
    const scopes = this.all().map((slot) => slot.status(now));
    return { closed: this.closed, mode: this.shared.config.mode, scopes };
  }

  close(): Promise<void> {
    if (this.closing !== undefined) return this.closing;
    this.closed = true;
    for (const slot of this.watches?.keys() ?? []) this.unwatch(slot);
    for (const slot of this.all()) {
      slot.controller?.abort();
      slot.dispose();
    }
    // Closing succeeds even when a source fails to release a watcher.
    this.closing = (async () => this.source.close?.())().catch(() => undefined);
    return this.closing;
  }

  async obtain(slot: Slot, background: boolean): Promise<Obtained> {
    const controller = new AbortController();
    slot.controller = controller;
    try {
      return await this.obtainWith(slot, background, controller.signal);
    } finally {
      slot.controller = undefined;
    }
  }

  private async obtainWith(
    slot: Slot,
    background: boolean,
    signal: AbortSignal,
  ): Promise<Obtained> {
    const fresh = this.reread;
    this.reread = false;
    const accessToken = await this.readSource(fresh);
    if (this.closed) throw closedError(this.principal);
    if (this.lastAccessToken !== undefined && this.lastAccessToken !== accessToken) {
      this.emit({ type: 'token_source_changed', source: this.source.description });
      this.durationSeconds = this.shared.config.durationSeconds; // a new token, a new lifetime
    }
    this.lastAccessToken = accessToken;
    const refused = slot.rejection;
    if (refused?.accessToken === accessToken && this.clock.now() < refused.until) {
      throw new Refused(refused.error);
    }
    if (this.shared.config.mode === 'basic') {
      const header = basicAuthorization(accessToken);
      return { header, value: header, times: basicTimes(this.clock.now()) };
    }
    const cache = this.shared.cache;
    if (cache === undefined) return this.exchange(slot, accessToken, background, signal);
    let own: Obtained | undefined;
    const key = this.keyOf(slot, accessToken);
    const { record } = await cache.acquire(
      key,
      async () => {
        own = await this.exchange(slot, accessToken, background, signal);
        return { jwt: own.value, refreshAt: own.times.refreshAt, deadlineAt: own.times.deadline };
      },
      { refresh: background, signal, principal: this.principal },
    );
    if (!this.closed) this.watch(cache, slot, key);
    return own !== undefined && own.value === record.jwt ? own : fromRecord(record);
  }

  private watch(cache: SharedCache, slot: Slot, key: SlotKey): void {
    const current = this.watches?.get(slot)?.key;
    if (
      current?.accessToken === key.accessToken &&
      current.durationSeconds === key.durationSeconds
    ) {
      return;
    }
    this.unwatch(slot);
    const stop = cache.watch(key, (change, record) => this.onSharedChange(slot, change, record));
    this.watches ??= new Map();
    this.watches.set(slot, { key, stop });
  }

  private unwatch(slot: Slot | undefined): void {
    if (slot === undefined) return;
    this.watches?.get(slot)?.stop();
    this.watches?.delete(slot);
  }

  /** Another replica wrote a newer JWT: install it (a notification never causes an exchange). */
  private onSharedChange(slot: Slot, change: SharedChange, record?: SharedTokenRecord): void {
    const token = slot.token;
    if (token === undefined || this.closed) return;
    if (change === 'removed') {
      if (!slot.drop(token.header)) return;
      this.reread = true; // removed after a 401 there: as after our own
      this.emit({ type: 'invalidated', scope: slot.scope });
      return;
    }
    if (record === undefined || slot.attempting || record.deadlineAt <= token.deadline) return;
    slot.install(fromRecord(record), this.clock.now());
    slot.schedule();
  }

  private keyOf(slot: Slot, accessToken: string): SlotKey {
    const { baseUrl } = this.shared.config;
    return { accessToken, baseUrl, scope: slot.scope, durationSeconds: this.durationSeconds };
  }

  /** Bounded by the exchange timeout: a source that never answers fails. */
  private readSource(fresh: boolean): Promise<string> {
    const { clock, refresh, source } = this;
    return new Promise((resolve, reject) => {
      const timer = clock.setTimeout(() => {
        reject(
          new WitboostAuthError(
            'token_source_failed',
            `the access token source (${source.description}) did not answer within ${refresh.exchangeTimeoutMs} ms`,
            { principal: this.principal },
          ),
        );
      }, refresh.exchangeTimeoutMs);
      timer.unref?.();
      // A failing source may quote the token it gave before: that one is redacted in every form.
      const held = this.lastAccessToken === undefined ? [] : [this.lastAccessToken];
      readAccessToken(source, this.principal, fresh, held)
        .then(resolve, reject)
        .finally(() => clock.clearTimeout(timer));
    });
  }

  /** Until a usable JWT arrives: a refused duration is halved, a too short one retried once. */
  private async exchange(
    slot: Slot,
    accessToken: string,
    background: boolean,
    signal: AbortSignal,
  ): Promise<Obtained> {
    const { clock, refresh } = this;
    const { config } = this.shared;
    let tooShort = 0;
    for (;;) {
      const startedAt = clock.now();
      let result: Awaited<ReturnType<typeof exchangeOnce>>;
      try {
        result = await exchangeOnce({
          endpoint: config.baseUrl + EXCHANGE_PATH,
          accessToken,
          durationSeconds: this.durationSeconds,
          scope: slot.scope,
          fetch: config.fetch,
          signal,
          timeoutMs: refresh.exchangeTimeoutMs,
          principal: this.principal,
          tokenLabel: this.source.description,
          clock,
          onClockWarning: (reason, skewMs) =>
            this.emit({ type: 'clock_warning', scope: slot.scope, reason, skewMs }),
        });
      } catch (raw) {
        if (this.closed) throw closedError(this.principal);
        const error = toAuthError(raw, this.principal);
        const halved = halvedDuration(error, this.durationSeconds);
        if (halved !== undefined) {
          this.durationSeconds = halved;
          this.emit(failedEvent(slot.scope, error, clock.now() - startedAt, background, 0));
          continue;
        }
        if (REJECTIONS.has(error.code)) {
          if (refresh.rejectionCooldownMs > 0) {
            const until = clock.now() + refresh.rejectionCooldownMs;
            slot.rejection = { accessToken, until, error };
          }
          this.reread = true;
        }
        throw error;
      }
      if (this.closed) throw closedError(this.principal);
      const arrivedAt = clock.now();
      const durationMs = arrivedAt - startedAt;
      const { jwt, lifetimeSeconds, sentAt } = result;
      const link = this.shared.link;
      link.latency = observeLatency(link.latency, durationMs);
      const lifetimeMs = lifetimeSeconds * 1000;
      const times = tokenTimes(sentAt, arrivedAt, lifetimeMs, link.latency, refresh, this.random);
      if (times !== undefined) {
        const exchange = { durationMs, lifetimeSeconds };
        return { header: `Bearer ${jwt}`, value: jwt, times, exchange };
      }
      // Unusable on arrival: one slow round trip may be bad luck, two mean the link is too slow.
      const error = tooShortError(lifetimeSeconds, durationMs, this.principal);
      if (tooShort++ > 0) {
        // Said once: callers within the cooldown get it without another exchange.
        const until = arrivedAt + refresh.rejectionCooldownMs;
        slot.rejection = { accessToken, until, error };
        throw error;
      }
      this.emit(failedEvent(slot.scope, error, clock.now() - startedAt, background, 0));
    }
  }
}

function fromRecord(record: SharedTokenRecord): Obtained {
  const times = { refreshAt: record.refreshAt, deadline: record.deadlineAt };
  return { header: `Bearer ${record.jwt}`, value: record.jwt, times };
}

/** Drops the least recently used slot nobody waits on. */
function evictOne(slots: Map<string, Slot>): Slot | undefined {
  for (const [key, slot] of slots) {
    if (slot.attempting || slot.waiting > 0) continue;
    slot.dispose();
    slots.delete(key);
    return slot;
  }
  return undefined;
}

function tooShortError(
  lifetimeSeconds: number,
  roundTripMs: number,
  principal: Principal,
): WitboostAuthError {
  return new WitboostAuthError(
    'invalid_exchange_response',
    `JWT lifetime shorter than the exchange round trip: a ${lifetimeSeconds}s token took ${roundTripMs} ms to arrive and was no longer usable (raise durationSeconds or lower refresh.expiryMarginMs)`,
    { principal },
  );
}
