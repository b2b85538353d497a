import type { WitboostMock } from '@wb/witboost-mock';
import type { Reporter } from './report.js';

/** What every demo step gets. */
export interface DemoContext {
  /** The embedded emulator every step talks to (Basic auth off, as by default). */
  readonly wb: WitboostMock;
  /** The demo's service-account access token on `wb`. Print it with `showAccessToken` only. */
  readonly accessToken: string;
  readonly report: Reporter;
  /** Registers cleanup (e.g. closing an extra emulator); run after all steps, even on failure. */
  defer(cleanup: () => Promise<void> | void): void;
}

/** One section of the demo; later issues add one per adapter example. */
export interface DemoStep {
  readonly title: string;
  run(ctx: DemoContext): Promise<void>;
}

/** A step saw something other than what the demo promises. */
export class DemoFailure extends Error {
  override name = 'DemoFailure';
}

/** Fails the step unless `actual === expected`; the message names statuses, never secrets. */
export function expectStatus(what: string, actual: number, expected: number): void {
  if (actual !== expected)
    throw new DemoFailure(`${what}: expected HTTP ${expected}, got ${actual}`);
}
