import { describe, it } from 'vitest';
import { checkWorlds, scenario, watchUnhandled } from './worlds.js';

// The generated worlds are split over two files so that vitest runs them on both cores; the
// invariants are listed in worlds.ts.
watchUnhandled();

describe('engine simulation (virtual time, scripted Witboost), part 1', () => {
  it('keeps every invariant over generated worlds', { timeout: 600_000 }, async () => {
    await checkWorlds('generated worlds', scenario, 6_000, 0);
  });
});
