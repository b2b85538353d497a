import { describe, expect, it } from 'vitest';
import { createAttentionClock } from './attention-clock.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end) {}
};

describe('createAttentionClock', () => {
  it('advances with free time, stands still while the event loop is blocked', async () => {
    const clock = createAttentionClock();
    const release = clock.hold();
    const start = clock.now();
    const wallStart = performance.now();
    await sleep(100);
    const free = clock.now() - start;
    // Not a fixed share of the 100 ms: on a starved machine the clock rightly counts less.
    expect(free).toBeGreaterThan(0);
    expect(free).toBeLessThanOrEqual(performance.now() - wallStart);
    busy(300); // no tick can run: the clock must not count this
    const during = clock.now() - start - free;
    await sleep(30);
    const after = clock.now() - start - free;
    release();
    expect(during).toBeLessThan(30);
    expect(after).toBeLessThan(100);
    expect(clock.now()).toBeGreaterThanOrEqual(start + free);
  });

  it('is monotonic, and runs no timer once every hold is released', async () => {
    const clock = createAttentionClock();
    const a = clock.hold();
    const b = clock.hold();
    const seen = [clock.now()];
    busy(40);
    seen.push(clock.now());
    await sleep(20);
    seen.push(clock.now());
    a();
    a(); // a second release of the same hold changes nothing
    b();
    seen.push(clock.now());
    expect([...seen].sort((x, y) => x - y)).toEqual(seen);
    // Without a holder it is plain wall time (minus what was lost while held).
    const t = clock.now();
    await sleep(30);
    expect(clock.now() - t).toBeGreaterThan(20);
  });
});
