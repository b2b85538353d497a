import { redactToken } from '@wb/auth-core';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { runNestExample } from './run-example.js';

/** Where the CLI reads its configuration and writes its lines. */
export interface CliIo {
  env: Record<string, string | undefined>;
  out: (line: string) => void;
  err: (line: string) => void;
}

/**
 * The example program: a real Witboost when `WITBOOST_BASE_URL` and `WITBOOST_ACCESS_TOKEN` are
 * both set, else the embedded emulator.
 *
 * @param io - environment and output lines
 * @returns the exit code: 0 success, 1 a call failed, 2 configuration error
 * @example
 * ```ts
 * import { runCli } from './cli.js';
 * process.exitCode = await runCli({ env: process.env, out: console.log, err: console.error });
 * ```
 */
export async function runCli({ env, out, err }: CliIo): Promise<number> {
  const baseUrl = env.WITBOOST_BASE_URL;
  const envToken = env.WITBOOST_ACCESS_TOKEN;
  if (Boolean(baseUrl) !== Boolean(envToken)) {
    err('Set both WITBOOST_BASE_URL and WITBOOST_ACCESS_TOKEN, or neither (embedded emulator).');
    return 2;
  }
  let wb: WitboostMock | undefined;
  try {
    let target: { baseUrl: string; accessToken: string };
    if (baseUrl && envToken) {
      target = { baseUrl, accessToken: envToken };
      out(`Witboost at ${baseUrl}, access token ${redactToken(envToken)}`);
    } else {
      wb = await startWitboostMock({ port: 0 });
      target = { baseUrl: wb.url, accessToken: wb.issueAccessToken() };
      out(
        `Embedded Witboost emulator at ${wb.url}, access token ${redactToken(target.accessToken)}`,
      );
    }
    await runNestExample({ ...target, log: out });
    return 0;
  } catch (error) {
    err(`Failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await wb?.close();
  }
}
