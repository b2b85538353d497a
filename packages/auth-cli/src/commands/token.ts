import { exchangeAccessToken } from '@wb/auth-core';
import { integerOption, parseCommand } from '../args.js';
import { loadConfig, readAccessToken } from '../config.js';
import { CliError, EXIT_OK, type ExitCode } from '../exit-codes.js';
import { isoSeconds } from '../format.js';
import type { ResolvedIo } from '../io.js';

const FORMATS = ['raw', 'json', 'env'] as const;

/** `wb-auth token`: one exchange, the credential alone on stdout. */
export async function tokenCommand(argv: readonly string[], io: ResolvedIo): Promise<ExitCode> {
  const { values } = parseCommand(
    'token',
    argv,
    { scope: { type: 'string' }, duration: { type: 'string' }, format: { type: 'string' } },
    0,
  );
  const format = values.format ?? 'raw';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new CliError('--format must be raw, json or env');
  }
  const durationSeconds = integerOption(values.duration, 'duration', 1, 2_000_000);
  const config = await loadConfig(values, io);
  if (config.mode === 'basic') {
    throw new CliError(
      'Basic mode has no JWT; use `wb-auth header <url>` for the Authorization value',
    );
  }
  const result = await exchangeAccessToken({
    baseUrl: config.baseUrl,
    accessToken: await readAccessToken(config),
    ...(durationSeconds === undefined ? {} : { durationSeconds }),
    ...(values.scope === undefined ? {} : { scope: values.scope }),
    timeoutMs: config.timeoutMs,
    allowInsecureHttp: config.allowInsecureHttp,
  });
  // The expiry counts the lifetime from when the request left this machine (core's rule), so a
  // server clock that is off does not shift it.
  const expiresOn = Math.floor(result.expiresAt / 1000);
  if (format === 'raw') {
    io.stdout.write(`${result.jwt}\n`);
  } else if (format === 'json') {
    const body = {
      token: result.jwt,
      token_type: 'Bearer',
      expires_at: isoSeconds(result.expiresAt),
      expires_on: expiresOn,
      scope: result.claims.scope ?? result.scope ?? null,
      subject: result.claims.sub ?? null,
    };
    io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  } else {
    // A JWT is base64url and dots: nothing a shell would expand, but quoted all the same.
    io.stdout.write(
      `export WITBOOST_JWT='${result.jwt}'\nexport WITBOOST_JWT_EXPIRES_ON=${expiresOn}\n`,
    );
  }
  return EXIT_OK;
}
