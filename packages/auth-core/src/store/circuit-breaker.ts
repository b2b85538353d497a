import type { WitboostAuthEvent } from '../types.js';

/** Breaker tuning; defaults in {@link BREAKER_DEFAULTS}. */
export interface BreakerOptions {
  /** Failure score at which the circuit opens. A failure adds 1, a success takes 0.5 off. */
  threshold: number;
  /** ...and only while at least this share of the last {@link RECENT} outcomes failed. */
  failureShare: number;
  /** First pause before a probe call; doubled when the probe fails or the store fails again soon. */
  cooldownMs: number;
  maxCooldownMs: number;
}

export const BREAKER_DEFAULTS: BreakerOptions = {
  threshold: 3,
  failureShare: 0.25,
  cooldownMs: 1_000,
  // A probe is one bounded call per process: cheap enough to keep recovery within seconds.
  maxCooldownMs: 5_000,
};

/** How many recent outcomes the failure share is taken over. */
const RECENT = 32;

/** `call`: go ahead. `probe`: go ahead, this call decides whether the circuit closes. */
export type Permit = 'call' | 'probe' | undefined;

/** Whether store calls may be made, from their recent outcomes; one event per state change. */
export interface CircuitBreaker {
  permit(): Permit;
  /** Whether the circuit is closed (store calls flow normally). Does not take the probe. */
  isClosed(): boolean;
  /** Whether `permit()` would grant a call now. Does not take the probe. */
  wouldPermit(): boolean;
  record(permit: Permit, ok: boolean, failure: string): void;
}

/**
 * A success only halves a failure's weight, so a store that answers reads but refuses every
 * write (full, `noeviction`) still opens the circuit instead of flapping per request. A store that
 * fails again within a minute of recovering waits twice as long before the next probe.
 */
export function createCircuitBreaker(
  emit: (event: WitboostAuthEvent) => void,
  options: BreakerOptions = BREAKER_DEFAULTS,
): CircuitBreaker {
  let open = false;
  let score = 0;
  let probing = false;
  let openUntil = 0;
  let cooldown = options.cooldownMs;
  let closedAt = Number.NEGATIVE_INFINITY;
  // The last RECENT outcomes (true: failed), so a few timeouts at the tail of a burst of
  // hundreds of good calls (a cold start on a busy machine) do not open the circuit.
  const recent: boolean[] = [];
  let recentFailures = 0;

  function trip(now: number): void {
    openUntil = now + cooldown;
    cooldown = Math.min(cooldown * 2, options.maxCooldownMs);
  }

  return {
    permit() {
      if (!open) return 'call';
      if (probing || Date.now() < openUntil) return undefined;
      probing = true;
      return 'probe';
    },
    isClosed: () => !open,
    wouldPermit: () => !open || (!probing && Date.now() >= openUntil),
    record(permit, ok, failure) {
      if (permit === undefined) return;
      if (permit === 'probe') {
        probing = false;
        if (!ok) return trip(Date.now());
        open = false;
        score = 0;
        recent.length = 0;
        recentFailures = 0;
        closedAt = Date.now();
        emit({ type: 'store_state', state: 'available', reason: 'a probe call succeeded' });
        return;
      }
      if (open) return; // a late answer from before the circuit opened
      score = ok ? Math.max(0, score - 0.5) : score + 1;
      recent.push(!ok);
      if (!ok) recentFailures++;
      if (recent.length > RECENT && recent.shift()) recentFailures--;
      if (score < options.threshold || recentFailures < options.failureShare * recent.length)
        return;
      const now = Date.now();
      if (now - closedAt > 60_000) cooldown = options.cooldownMs;
      open = true;
      trip(now);
      emit({
        type: 'store_state',
        state: 'unavailable',
        reason: `store calls keep failing (last: ${failure}); exchanging locally, next probe in ${openUntil - now} ms`,
      });
    },
  };
}
