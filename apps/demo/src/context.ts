import type { WitboostMock } from '@wb/witboost-mock';
import type { Reporter } from './report.js';

/** What a section did, as the client saw it. The summary prefers the emulator's own counters. */
export interface Tally {
  /** HTTP requests to Witboost APIs (replays included, exchanges excluded). */
  requests: number;
  /** Exchange attempts, failed ones included. */
  exchanges: number;
  /** Requests whose caller saw an error. */
  failed: number;
}

/** What every demo section gets. */
export interface DemoContext {
  /** Base URL every client talks to: the embedded emulator, or a real Witboost. */
  readonly baseUrl: string;
  /** The demo's access token. Print it with `showAccessToken` only. */
  readonly accessToken: string;
  /** The embedded emulator; `undefined` against a real Witboost. */
  readonly wb: WitboostMock | undefined;
  /** A fresh access token for another client (the emulator allows one active token per subject). */
  issueAccessToken(subject: string): string;
  readonly report: Reporter;
  /** This section's counters. */
  readonly tally: Tally;
  /** Registers cleanup; runs at the end of the section, even on failure. */
  defer(cleanup: () => Promise<void> | void): void;
}

/** One section of the demo: one module in `src/steps/`. */
export interface DemoStep {
  /** Section heading. */
  readonly title: string;
  /** Row label in the summary table. */
  readonly name: string;
  /** Set when the section needs the embedded emulator: why, printed when it is skipped. */
  readonly needsEmulator?: string;
  run(ctx: DemoContext): Promise<void>;
}

/** A section saw something other than what the demo promises. */
export class DemoFailure extends Error {
  override name = 'DemoFailure';
}

/** Fails the section unless `condition` holds; the message names facts, never secrets. */
export function expect(condition: boolean, message: string): asserts condition {
  if (!condition) throw new DemoFailure(message);
}

/** The emulator, for sections that only run against it. */
export function emulatorOf(ctx: DemoContext): WitboostMock {
  if (ctx.wb === undefined) throw new DemoFailure('this section needs the embedded emulator');
  return ctx.wb;
}
