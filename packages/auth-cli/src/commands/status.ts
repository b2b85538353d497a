import { redactToken } from '@wb/auth-core';
import { parseCommand } from '../args.js';
import { loadConfig, readAccessToken } from '../config.js';
import { EXIT_OK, type ExitCode } from '../exit-codes.js';
import { formatDuration, formatSkew, isoSeconds } from '../format.js';
import type { ResolvedIo } from '../io.js';
import { probeExchange } from '../probe-exchange.js';

/** `wb-auth status`: who the access token is, from one exchange. Never a secret. */
export async function statusCommand(argv: readonly string[], io: ResolvedIo): Promise<ExitCode> {
  const { values } = parseCommand(
    'status',
    argv,
    { json: { type: 'boolean' }, scope: { type: 'string' } },
    0,
  );
  const config = await loadConfig(values, io);
  const accessToken = await readAccessToken(config);
  // Even in Basic mode: the exchange is how Witboost says whose token this is.
  const { result, roundTripMs, dateSkewMs } = await probeExchange(
    config,
    accessToken,
    values.scope,
  );
  const { claims } = result;
  const iatSkewMs = claims.iat === undefined ? undefined : claims.iat * 1000 - result.sentAt;
  const report = {
    baseUrl: config.baseUrl,
    mode: config.mode,
    accessToken: redactToken(accessToken),
    tokenSource: config.tokenLabel,
    subject: claims.sub ?? null,
    scope: claims.scope ?? result.scope ?? null,
    issuer: claims.iss ?? null,
    lifetimeSeconds: result.lifetimeSeconds,
    expiresAt: isoSeconds(result.expiresAt),
    expiresOn: Math.floor(result.expiresAt / 1000),
    clockSkewSeconds: dateSkewMs === undefined ? null : Math.round(dateSkewMs / 1000),
    jwtIssuedAtSkewSeconds: iatSkewMs === undefined ? null : Math.round(iatSkewMs / 1000),
    exchangeMs: roundTripMs,
  };
  if (values.json === true) {
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return EXIT_OK;
  }
  const skew = [
    dateSkewMs === undefined
      ? 'unknown (no Date header)'
      : `${formatSkew(dateSkewMs)} against the server's Date header (±1 s)`,
    iatSkewMs === undefined ? undefined : `JWT iat ${formatSkew(iatSkewMs)}`,
  ].filter(Boolean);
  const rows: Array<[string, string]> = [
    ['Witboost', `${report.baseUrl} (${report.mode})`],
    ['access token', `${report.accessToken} (${report.tokenSource})`],
    ['subject', report.subject ?? '(none in the JWT)'],
    ['scope', report.scope ?? '(none)'],
    ['issuer', report.issuer ?? '(none)'],
    ['lifetime', `${formatDuration(result.lifetimeSeconds * 1000)} (${result.lifetimeSeconds} s)`],
    ['expires', `${report.expiresAt} (in ${formatDuration(result.expiresAt - Date.now())})`],
    ['clock skew', skew.join('; ')],
    ['exchange', `${roundTripMs} ms`],
  ];
  io.stdout.write(`${rows.map(([k, v]) => `${k.padEnd(13)}${v}`).join('\n')}\n`);
  return EXIT_OK;
}
