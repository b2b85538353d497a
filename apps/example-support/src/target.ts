import { redactToken } from '@wb/auth-core';
import { startWitboostMock } from '@wb/witboost-mock';

/** Only one of `WITBOOST_BASE_URL` and `WITBOOST_ACCESS_TOKEN` is set. */
export class TargetConfigError extends Error {
  override readonly name = 'TargetConfigError';
}

/** The Witboost the example talks to. */
export interface Target {
  baseUrl: string;
  accessToken: string;
  /** A caller's access token for the on-behalf-of route, when one is available. */
  issueCallerToken?: () => string;
  /** Whether this is the embedded emulator (whose admin API issues caller tokens). */
  emulator: boolean;
  /** One line saying which Witboost this is, without any secret. */
  description: string;
  /** Stops the embedded emulator, if any. */
  close(): Promise<void>;
}

/**
 * A real Witboost when `WITBOOST_BASE_URL` and `WITBOOST_ACCESS_TOKEN` are both set (and
 * `WITBOOST_CALLER_ACCESS_TOKEN`, optional, for the on-behalf-of route), else the embedded
 * emulator, which also issues caller tokens.
 *
 * @param env - the environment to read
 * @returns the target; throws a {@link TargetConfigError} when only one of the two variables is set
 * @example
 * ```ts
 * import { resolveTarget } from '@wb/example-support';
 * const target = await resolveTarget(process.env);
 * ```
 */
export async function resolveTarget(env: Record<string, string | undefined>): Promise<Target> {
  const { WITBOOST_BASE_URL: baseUrl, WITBOOST_ACCESS_TOKEN: accessToken } = env;
  if (Boolean(baseUrl) !== Boolean(accessToken)) {
    throw new TargetConfigError(
      'Set both WITBOOST_BASE_URL and WITBOOST_ACCESS_TOKEN, or neither (embedded emulator).',
    );
  }
  if (baseUrl && accessToken) {
    const caller = env.WITBOOST_CALLER_ACCESS_TOKEN;
    return {
      baseUrl,
      accessToken,
      ...(caller ? { issueCallerToken: () => caller } : {}),
      emulator: false,
      description: `Witboost at ${baseUrl}, access token ${redactToken(accessToken)}`,
      close: async () => undefined,
    };
  }
  const wb = await startWitboostMock({ port: 0 });
  const serviceToken = wb.issueAccessToken({ subject: 'service-account:example' });
  let callers = 0;
  return {
    baseUrl: wb.url,
    accessToken: serviceToken,
    issueCallerToken: () => wb.issueAccessToken({ subject: `user:caller-${++callers}` }),
    emulator: true,
    description: `Embedded Witboost emulator at ${wb.url}, access token ${redactToken(serviceToken)}`,
    close: () => wb.close(),
  };
}
