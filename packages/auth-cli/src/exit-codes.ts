/**
 * The exit status of every `wb-auth` command.
 *
 * | code | meaning |
 * | --- | --- |
 * | 0 | ok |
 * | 1 | credentials rejected: bad, revoked or expired access token, scope denied |
 * | 2 | usage or configuration error (includes a URL that is not Witboost's) |
 * | 3 | Witboost unreachable or unavailable: network, timeout, 5xx, 429 |
 *
 * @example
 * ```ts
 * import { run, type ExitCode } from '@wb/auth-cli';
 * const code: ExitCode = await run(['token']);
 * if (code === 1) console.error('rotate the access token');
 * ```
 */
export type ExitCode = 0 | 1 | 2 | 3;

export const EXIT_OK = 0;
export const EXIT_REJECTED = 1;
export const EXIT_USAGE = 2;
export const EXIT_UNAVAILABLE = 3;

/** Exit status for a `WitboostAuthError` code (core's union, kept as a string: newer cores add codes). */
export function exitCodeForErrorCode(code: string): ExitCode {
  switch (code) {
    case 'access_token_rejected':
    // A 400 from the exchange: a scope the account may not have, or a duration beyond the
    // access token's remaining life. Either way Witboost refused these credentials.
    case 'exchange_bad_request':
      return EXIT_REJECTED;
    case 'invalid_options':
    case 'missing_access_token':
    case 'token_source_failed':
    case 'invalid_access_token':
    case 'origin_not_allowed':
      return EXIT_USAGE;
    default:
      // rate_limited, server_error, network_error, timeout, invalid_exchange_response, aborted…
      return EXIT_UNAVAILABLE;
  }
}

/**
 * A failure the CLI itself detected (bad arguments or configuration), with its exit status.
 * Its message never contains an argument value that could be a secret.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT_USAGE,
  ) {
    super(message);
  }
}
