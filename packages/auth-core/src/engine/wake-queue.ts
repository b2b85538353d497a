import { type Clock, type TimerHandle, wakeDelay } from './clock.js';

/** A slot: its place in the queue is kept on it, so nothing is allocated. */
export interface Wakeable {
  /** `Infinity` when not queued. */
  wakeAt: number;
  /** Index in the heap, −1 when not queued. */
  wakeIndex: number;
  /** The process must stay alive for it (a caller is waiting). */
  wakeRef: boolean;
  wake(): void;
}

/**
 * One timer for every slot of an instance and its caller identities (a thousand identities hold
 * one Node timer, not a thousand of ~250 bytes): a min-heap by wake time. The timer is ref'd only
 * while a queued slot has a waiting caller.
 */
export class WakeQueue {
  private readonly heap: Wakeable[] = [];
  private refs = 0;
  private timer: TimerHandle | undefined;
  private timerAt = Number.POSITIVE_INFINITY;

  constructor(private readonly clock: Clock) {}

  set(item: Wakeable, at: number, ref: boolean): void {
    if (ref !== item.wakeRef) {
      this.refs += item.wakeIndex >= 0 ? (ref ? 1 : -1) : 0;
      item.wakeRef = ref;
    }
    if (item.wakeIndex < 0) {
      if (ref) this.refs++;
      item.wakeIndex = this.heap.length;
      this.heap.push(item);
      item.wakeAt = at;
      this.up(item.wakeIndex);
    } else if (at !== item.wakeAt) {
      const earlier = at < item.wakeAt;
      item.wakeAt = at;
      if (earlier) this.up(item.wakeIndex);
      else this.down(item.wakeIndex);
    }
    this.arm();
  }

  delete(item: Wakeable): void {
    if (item.wakeIndex < 0) return;
    this.remove(item);
    this.arm();
  }

  private remove(item: Wakeable): void {
    const heap = this.heap;
    const index = item.wakeIndex;
    const last = heap.pop() as Wakeable;
    if (last !== item) {
      heap[index] = last;
      last.wakeIndex = index;
      this.up(index);
      this.down(last.wakeIndex);
    }
    if (item.wakeRef) this.refs--;
    item.wakeIndex = -1;
    item.wakeAt = Number.POSITIVE_INFINITY;
  }

  private arm(): void {
    const clock = this.clock;
    const at = this.heap[0]?.wakeAt ?? Number.POSITIVE_INFINITY;
    if (at !== this.timerAt) {
      if (this.timer !== undefined) clock.clearTimeout(this.timer);
      this.timer = undefined;
      this.timerAt = at;
      if (at === Number.POSITIVE_INFINITY) return;
      this.timer = clock.setTimeout(this.fire, wakeDelay(at - clock.now()));
    }
    if (this.refs > 0) this.timer?.ref?.();
    else this.timer?.unref?.();
  }

  // What a wake-up queues again for now waits for the next turn, so a slot cannot spin here.
  private readonly fire = (): void => {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = this.clock.now();
    const due: Wakeable[] = [];
    for (let top = this.heap[0]; top !== undefined && top.wakeAt <= now; top = this.heap[0]) {
      this.remove(top);
      due.push(top);
    }
    for (const item of due) item.wake();
    this.arm();
  };

  private up(index: number): void {
    const heap = this.heap;
    const item = heap[index] as Wakeable;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const above = heap[parent] as Wakeable;
      if (above.wakeAt <= item.wakeAt) break;
      heap[index] = above;
      above.wakeIndex = index;
      index = parent;
    }
    heap[index] = item;
    item.wakeIndex = index;
  }

  private down(index: number): void {
    const heap = this.heap;
    const item = heap[index] as Wakeable;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child =
        right < heap.length && (heap[right] as Wakeable).wakeAt < (heap[left] as Wakeable).wakeAt
          ? right
          : left;
      const below = heap[child] as Wakeable;
      if (below.wakeAt >= item.wakeAt) break;
      heap[index] = below;
      below.wakeIndex = index;
      index = child;
    }
    heap[index] = item;
    item.wakeIndex = index;
  }
}
