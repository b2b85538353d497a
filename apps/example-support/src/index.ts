import { redactToken } from '@wb/auth-core';
import { startWitboostMock } from '@wb/witboost-mock';

/** The Witboost an example's `main.ts` talks to. */
export interface ExampleWitboost {
  baseUrl: string;
  /** The service's access token. Print it with `redactToken` only. */
  accessToken: string;
  /** The embedded emulator's URL, when there is one (its admin API issues caller tokens). */
  emulatorUrl: string | undefined;
  /** Stops the embedded emulator, if any. */
  close(): Promise<void>;
}

/**
 * What every example's `main.ts` starts with: a real Witboost when `WITBOOST_BASE_URL` and
 * `WITBOOST_ACCESS_TOKEN` are both set, otherwise the embedded emulator (`@wb/witboost-mock`)
 * with a fresh service-account token. Prints which one, without the token. Only one of the two
 * variables set is a mistake: it says so and exits with code 2 rather than guess.
 *
 * @param env - where to read the variables @default process.env
 * @returns the base URL and access token to use, and `close()`
 * @example
 * ```ts
 * import { createWitboostAuth } from '@wb/auth-core';
 * import { exampleWitboost } from '@wb/example-support';
 * const witboost = await exampleWitboost();
 * const auth = createWitboostAuth({ baseUrl: witboost.baseUrl, accessToken: witboost.accessToken });
 * ```
 */
export async function exampleWitboost(
  env: Record<string, string | undefined> = process.env,
): Promise<ExampleWitboost> {
  const { WITBOOST_BASE_URL: baseUrl, WITBOOST_ACCESS_TOKEN: accessToken } = env;
  if (Boolean(baseUrl) !== Boolean(accessToken)) {
    console.error('Set both WITBOOST_BASE_URL and WITBOOST_ACCESS_TOKEN, or neither (emulator).');
    process.exit(2);
  }
  if (baseUrl && accessToken) {
    console.log(`Witboost at ${baseUrl}, access token ${redactToken(accessToken)}`);
    return { baseUrl, accessToken, emulatorUrl: undefined, close: async () => undefined };
  }
  const wb = await startWitboostMock({ port: 0 });
  const token = wb.issueAccessToken({ subject: 'service-account:example' });
  console.log(`Embedded Witboost emulator at ${wb.url}, access token ${redactToken(token)}`);
  return { baseUrl: wb.url, accessToken: token, emulatorUrl: wb.url, close: () => wb.close() };
}
