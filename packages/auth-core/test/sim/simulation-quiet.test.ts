import { describe, it } from 'vitest';
import { checkWorlds, quietScenario, scenario, watchUnhandled } from './worlds.js';

// Part 2 of the simulation (see simulation.test.ts): more generated worlds, then quiet ones
// (a quiet world costs about twice a generated one, so the two files take about as long).
watchUnhandled();

describe('engine simulation (virtual time, scripted Witboost), part 2', () => {
  it('keeps every invariant over more generated worlds', { timeout: 600_000 }, async () => {
    await checkWorlds('more generated worlds', scenario, 2_000, 1);
  });

  it('keeps them in quiet worlds too: no faults, no rotation, steady callers', {
    timeout: 600_000,
  }, async () => {
    await checkWorlds('quiet worlds', quietScenario, 2_000, 2);
  });
});
