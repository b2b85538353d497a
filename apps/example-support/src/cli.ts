import { resolveTarget, type Target, TargetConfigError } from './target.js';

/** Where a CLI example reads its configuration and writes its lines. */
export interface CliIo {
  env: Record<string, string | undefined>;
  out: (line: string) => void;
  err: (line: string) => void;
}

/** What {@link runCli} hands the example: the resolved Witboost and where to write. */
export interface CliRunTarget {
  baseUrl: string;
  accessToken: string;
  log: (line: string) => void;
}

/** A failure in one line, without any credential. */
function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A scripted example's command line (the axios and Nest examples): `resolveTarget(env)` (a real
 * Witboost when `WITBOOST_BASE_URL` and `WITBOOST_ACCESS_TOKEN` are both set, else the embedded
 * emulator), prints which one, runs the example once and stops the emulator, if any.
 *
 * @param io - environment and output lines
 * @param run - the example, e.g. `runAxiosExample`
 * @param describeError - a failure in one line, without any credential @default the error's message
 * @returns the exit code: 0 success, 1 a call failed, 2 configuration error
 * @example
 * ```ts
 * import { runCli } from '@wb/example-support';
 * process.exitCode = await runCli(
 *   { env: process.env, out: console.log, err: console.error },
 *   runAxiosExample,
 * );
 * ```
 */
export async function runCli(
  { env, out, err }: CliIo,
  run: (target: CliRunTarget) => Promise<unknown>,
  describeError: (error: unknown) => string = errorMessage,
): Promise<number> {
  let target: Target | undefined;
  try {
    target = await resolveTarget(env);
    out(target.description);
    await run({ baseUrl: target.baseUrl, accessToken: target.accessToken, log: out });
    return 0;
  } catch (error) {
    if (error instanceof TargetConfigError) {
      err(error.message);
      return 2;
    }
    err(`Failed: ${describeError(error)}`);
    return 1;
  } finally {
    await target?.close();
  }
}
