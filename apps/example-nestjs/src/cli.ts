import { type CliIo, runCli as runExampleCli } from '@wb/example-support';
import { runNestExample } from './run-example.js';

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
  return runExampleCli(io, runNestExample);
}
