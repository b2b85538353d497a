import type { WitboostMock } from '@wb/witboost-mock';

/** What every metric gets from the runner. */
export interface BenchContext {
  /** One emulator shared by the metrics; a metric that sets a fault resets it before returning. */
  wb: WitboostMock;
  /** Shorter samples for a smoke run (`BENCH_QUICK=1`); figures are noisier. */
  quick: boolean;
  /** Progress line on stderr, so stdout stays the table. */
  log(message: string): void;
}

/** A URL on the emulator's origin that needs the default (unscoped) JWT. */
export const catalogUrl = (wb: WitboostMock): string => `${wb.url}/api/catalog/entities`;
