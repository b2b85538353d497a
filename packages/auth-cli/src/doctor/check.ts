import { isWitboostAuthError, redactSecrets } from '@wb/auth-core';
import type { CliConfig, CommonValues } from '../config.js';
import { CliError, EXIT_UNAVAILABLE, type ExitCode, exitCodeForErrorCode } from '../exit-codes.js';
import type { ResolvedIo } from '../io.js';
import { HINTS } from '../report-error.js';

/** DESIGN's two answers: a check passes (maybe with advice in `fix`) or fails (always a `fix`). */
export type CheckStatus = 'PASS' | 'FAIL';

/** What one check found. A FAIL carries the exit status it stands for; a PASS may advise. */
export interface CheckOutcome {
  status: CheckStatus;
  detail: string;
  fix?: string;
  exitCode?: ExitCode;
}

/** What earlier checks learnt, for the later ones. */
export interface DoctorState {
  values: CommonValues;
  io: ResolvedIo;
  config?: CliConfig;
  accessToken?: string;
  resolved?: boolean;
  reachable?: boolean;
  exchanged?: boolean;
  dateSkewMs?: number;
  /** The JWT signer's clock (`iat`) minus the local clock when the exchange was sent. */
  iatSkewMs?: number;
}

export interface Check {
  name: string;
  run(state: DoctorState, signal: AbortSignal): Promise<CheckOutcome>;
}

/** A check that could not run because an earlier one failed: it has not passed either. */
export const notRun = (needs: string): CheckOutcome => ({
  status: 'FAIL',
  detail: `not run: ${needs}`,
  fix: 'fix the first failing check above, then run wb-auth doctor again',
  exitCode: EXIT_UNAVAILABLE,
});
/** A pass that still deserves attention. */
export const advise = (detail: string, fix: string): CheckOutcome => ({
  status: 'PASS',
  detail,
  fix,
});
export const fail = (detail: string, fix: string, exitCode: ExitCode): CheckOutcome => ({
  status: 'FAIL',
  detail,
  fix,
  exitCode,
});

/** A failed exchange as an outcome, with core's (secret-free) message and the usual hint. */
export function failure(error: unknown, fallbackFix: string): CheckOutcome {
  if (error instanceof CliError) return fail(error.message, fallbackFix, error.exitCode);
  if (isWitboostAuthError(error)) {
    return fail(
      redactSecrets(error.message.replace(/^\[@wb\/auth-core\] /, '')),
      HINTS[error.code] ?? fallbackFix,
      exitCodeForErrorCode(error.code),
    );
  }
  return fail(
    redactSecrets(String((error as Error)?.message ?? error)),
    fallbackFix,
    EXIT_UNAVAILABLE,
  );
}

export function origins(config: CliConfig): URL[] {
  return [config.baseUrl, config.cgUrl]
    .filter((u): u is string => u !== undefined)
    .map((u) => new URL(u));
}
