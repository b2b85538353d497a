import type { Clock, TimerHandle } from '../../src/engine/clock.js';

interface VirtualTimer extends TimerHandle {
  at: number;
  seq: number;
  callback: () => void;
  cleared: boolean;
}

/**
 * Virtual time for the engine: timers fire in order of due time (then creation) when the
 * simulation advances; between two timers every microtask settles, as in a real event loop.
 */
export class VirtualClock implements Clock {
  private time: number;
  fired = 0;
  private firedNow = 0;
  private seq = 0;
  private live = 0;
  private readonly heap: VirtualTimer[] = [];

  constructor(start: number) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const timer: VirtualTimer = {
      at: this.time + Math.max(0, ms),
      seq: ++this.seq,
      callback,
      cleared: false,
      ref: () => timer,
      unref: () => timer,
    };
    this.push(timer);
    this.live++;
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    const timer = handle as VirtualTimer;
    if (timer.cleared) return;
    timer.cleared = true;
    this.live--;
  }

  /** Timers set and not yet fired or cleared. */
  pending(): number {
    return this.live;
  }

  /** Fires every timer due until `end` (settling microtasks after each), then sets the time. */
  async runUntil(end: number): Promise<void> {
    for (;;) {
      const next = this.heap[0];
      if (next === undefined || next.at > end) break;
      this.pop();
      if (next.cleared) continue;
      next.cleared = true;
      this.live--;
      // A timer loop that never lets virtual time advance is a bug the run must report, soon
      // enough for fast-check to shrink it and print its seed (a CI run once spun for 15 min).
      if (++this.fired > 500_000) throw new Error(`runaway timers at ${this.time}`);
      if (next.at > this.time) this.firedNow = 0;
      else if (++this.firedNow > 2_000)
        throw new Error(`a timer loop at ${this.time}: 2,000 timers fired without time advancing`);
      this.time = Math.max(this.time, next.at);
      next.callback();
      await settle();
    }
    this.time = Math.max(this.time, end);
    await settle();
  }

  private push(timer: VirtualTimer): void {
    const heap = this.heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(timer, heap[parent] as VirtualTimer)) break;
      heap[i] = heap[parent] as VirtualTimer;
      i = parent;
    }
    heap[i] = timer;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child =
        right < heap.length && before(heap[right] as VirtualTimer, heap[left] as VirtualTimer)
          ? right
          : left;
      if (!before(heap[child] as VirtualTimer, last)) break;
      heap[i] = heap[child] as VirtualTimer;
      i = child;
    }
    heap[i] = last;
  }
}

function before(a: VirtualTimer, b: VirtualTimer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/**
 * Lets every pending microtask chain run to its end, however long: a macrotask turn drains the
 * whole microtask queue (and costs less than the 64 awaits that used to approximate it).
 */
export async function settle(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
}
