import { isWitboostAuthError, redactSecrets } from '@wb/auth-core';
import { CliError, EXIT_UNAVAILABLE, type ExitCode, exitCodeForErrorCode } from './exit-codes.js';
import type { ResolvedIo } from './io.js';

/** What to do next, per core error code: the part of a message a user acts on. */
export const HINTS: Record<string, string> = {
  access_token_rejected:
    'the access token is unknown, revoked or expired: generate a new one (profile → Advanced for a PAT, the service account page otherwise); `wb-auth doctor` checks the rest',
  exchange_bad_request:
    'Witboost refused the request: a scope the account may not have, or --duration beyond the access token’s remaining life',
  rate_limited: 'Witboost is rate limiting: try again later',
  server_error: 'Witboost answered with an error: try again later, or run `wb-auth doctor`',
  network_error:
    'check WITBOOST_BASE_URL, your network, VPN or proxy; `wb-auth doctor` checks them',
  timeout: 'Witboost did not answer in time: raise --timeout, or run `wb-auth doctor`',
};

/**
 * Prints a failure on stderr, redacted, with a hint, and returns its exit status. Core's
 * messages are already secret-free; the redaction is the second lock.
 */
export function reportError(io: ResolvedIo, command: string, error: unknown): ExitCode {
  let message: string;
  let code: ExitCode;
  let hint: string | undefined;
  if (error instanceof CliError) {
    message = error.message;
    code = error.exitCode;
  } else if (isWitboostAuthError(error)) {
    message = error.message.replace(/^\[@wb\/auth-core\] /, '');
    if (message.includes('allowInsecureHttp')) message += ' (wb-auth: --allow-insecure-http)';
    code = exitCodeForErrorCode(error.code);
    hint = HINTS[error.code];
  } else {
    message = `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
    code = EXIT_UNAVAILABLE;
  }
  const lines = [`wb-auth ${command}: ${message}`];
  if (hint !== undefined) lines.push(`  hint: ${hint}`);
  io.stderr.write(`${redactSecrets(lines.join('\n'))}\n`);
  return code;
}
