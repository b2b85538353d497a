import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../test/sim/virtual-clock.js';
import { type Wakeable, WakeQueue } from './wake-queue.js';

function item(name: number, woken: Array<[number, number]>, clock: VirtualClock): Wakeable {
  return {
    wakeAt: Number.POSITIVE_INFINITY,
    wakeIndex: -1,
    wakeRef: false,
    wake: () => woken.push([name, clock.now()]),
  };
}

describe('WakeQueue', () => {
  it('wakes every queued item once, at its latest time, in time order', async () => {
    const op = fc.record({
      target: fc.integer({ min: 0, max: 7 }),
      at: fc.integer({ min: 0, max: 5_000_000 }),
      remove: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 60 }), async (ops) => {
        const clock = new VirtualClock(0);
        const queue = new WakeQueue(clock);
        const woken: Array<[number, number]> = [];
        const items = Array.from({ length: 8 }, (_, i) => item(i, woken, clock));
        const expected = new Map<number, number>();
        for (const { target, at, remove } of ops) {
          const it = items[target] as Wakeable;
          if (remove) {
            queue.delete(it);
            expected.delete(target);
          } else {
            queue.set(it, at, false);
            expected.set(target, at);
          }
        }
        await clock.runUntil(6_000_000);
        const want = [...expected].sort((a, b) => a[1] - b[1]);
        expect(woken.map(([name]) => name).sort()).toEqual(want.map(([name]) => name).sort());
        for (const [name, at] of woken) expect(at).toBe(expected.get(name));
        const times = woken.map(([, at]) => at);
        expect(times).toEqual([...times].sort((a, b) => a - b));
        expect(clock.pending()).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the process alive only while a queued item asks for it', () => {
    const states: string[] = [];
    const clock = {
      now: () => 0,
      setTimeout: () => {
        const handle = {
          ref: () => states.push('ref'),
          unref: () => states.push('unref'),
        };
        return handle;
      },
      clearTimeout: () => states.push('clear'),
    };
    const queue = new WakeQueue(clock);
    const a = item(1, [], clock as unknown as VirtualClock);
    const b = item(2, [], clock as unknown as VirtualClock);
    queue.set(a, 100, false);
    queue.set(b, 200, true);
    expect(states.at(-1)).toBe('ref');
    queue.set(b, 200, false);
    expect(states.at(-1)).toBe('unref');
    queue.set(a, 100, true);
    queue.delete(a);
    expect(states.at(-1)).toBe('unref');
    queue.delete(b);
    expect(states.at(-1)).toBe('clear');
  });

  it('never wakes an item again inside the callback that woke it', async () => {
    const clock = new VirtualClock(0);
    const queue = new WakeQueue(clock);
    let wakes = 0;
    const spinning: Wakeable = {
      wakeAt: Number.POSITIVE_INFINITY,
      wakeIndex: -1,
      wakeRef: false,
      wake: () => {
        if (++wakes < 3) queue.set(spinning, clock.now(), false); // due again at once
      },
    };
    queue.set(spinning, 10, false);
    await clock.runUntil(10);
    expect(wakes).toBe(3); // one timer turn each, not a loop within one
    expect(clock.fired).toBe(3);
  });
});
