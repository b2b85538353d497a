import { isWitboostAuthError } from '@wb/auth-core';
import { type CliIo, runCli as runExampleCli } from '@wb/example-support';
import { isAxiosError } from 'axios';
import { runAxiosExample } from './run-example.js';

/** A failure in one line, without any credential (core and axios messages carry none). */
function describeError(error: unknown): string {
  if (isAxiosError(error)) {
    const cause = isWitboostAuthError(error.cause) ? ` (cause: ${error.cause.code})` : '';
    const status = error.response ? ` HTTP ${error.response.status}` : '';
    return `${error.code ?? 'axios error'}${status}: ${error.message}${cause}`;
  }
  if (isWitboostAuthError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * The example program: a real Witboost when `WITBOOST_BASE_URL` and `WITBOOST_ACCESS_TOKEN` are
 * both set, else the embedded emulator (`runCli` of `@wb/example-support`).
 *
 * @param io - environment and output lines
 * @returns the exit code: 0 success, 1 a call failed, 2 configuration error
 * @example
 * ```ts
 * import { runCli } from './cli.js';
 * process.exitCode = await runCli({ env: process.env, out: console.log, err: console.error });
 * ```
 */
export function runCli(io: CliIo): Promise<number> {
  return runExampleCli(io, runAxiosExample, describeError);
}
