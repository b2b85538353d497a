import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { connect } from 'node:tls';
import {
  basicAuthorization,
  createWitboostAuth,
  isWitboostAuthError,
  redactSecrets,
  redactToken,
} from '@wb/auth-core';
import type { CommonValues } from './config.js';
import { authOptions, CG_SCOPE, type CliConfig, loadConfig, readAccessToken } from './config.js';
import {
  CliError,
  EXIT_REJECTED,
  EXIT_UNAVAILABLE,
  EXIT_USAGE,
  type ExitCode,
  exitCodeForErrorCode,
} from './exit-codes.js';
import { formatSkew } from './format.js';
import type { ResolvedIo } from './io.js';
import { probeExchange, skewFromDate } from './probe-exchange.js';
import { HINTS } from './report-error.js';

export type CheckStatus = 'PASS' | 'WARN' | 'FAIL' | 'SKIP';

/** What one check found. A FAIL carries the exit status it stands for. */
export interface CheckOutcome {
  status: CheckStatus;
  detail: string;
  fix?: string;
  exitCode?: ExitCode;
}

/** What earlier checks learnt, for the later ones. */
export interface DoctorState {
  values: CommonValues;
  io: ResolvedIo;
  config?: CliConfig;
  accessToken?: string;
  resolved?: boolean;
  reachable?: boolean;
  exchanged?: boolean;
  dateSkewMs?: number;
  /** The JWT signer's clock (`iat`) minus the local clock when the exchange was sent. */
  iatSkewMs?: number;
}

export interface Check {
  name: string;
  run(state: DoctorState, signal: AbortSignal): Promise<CheckOutcome>;
}

const skip = (detail: string): CheckOutcome => ({ status: 'SKIP', detail });
const fail = (detail: string, fix: string, exitCode: ExitCode): CheckOutcome => ({
  status: 'FAIL',
  detail,
  fix,
  exitCode,
});

/** A failed exchange as an outcome, with core's (secret-free) message and the usual hint. */
function failure(error: unknown, fallbackFix: string): CheckOutcome {
  if (error instanceof CliError) return fail(error.message, fallbackFix, error.exitCode);
  if (isWitboostAuthError(error)) {
    return fail(
      redactSecrets(error.message.replace(/^\[@wb\/auth-core\] /, '')),
      HINTS[error.code] ?? fallbackFix,
      exitCodeForErrorCode(error.code),
    );
  }
  return fail(
    redactSecrets(String((error as Error)?.message ?? error)),
    fallbackFix,
    EXIT_UNAVAILABLE,
  );
}

function origins(config: CliConfig): URL[] {
  return [config.baseUrl, config.cgUrl]
    .filter((u): u is string => u !== undefined)
    .map((u) => new URL(u));
}

const configuration: Check = {
  name: 'configuration',
  async run(state) {
    try {
      const config = await loadConfig(state.values, state.io);
      // createWitboostAuth validates the URLs (https, or http to loopback) without any I/O.
      await createWitboostAuth(authOptions(config)).close();
      const accessToken = await readAccessToken(config);
      state.config = config;
      state.accessToken = accessToken;
      return {
        status: 'PASS',
        detail: `${config.baseUrl} (${config.mode}${config.cgUrl ? `, CG at ${config.cgUrl}` : ''}), token ${redactToken(accessToken)} from ${config.tokenLabel}`,
      };
    } catch (error) {
      return { ...failure(error, 'see wb-auth --help for the variables'), exitCode: EXIT_USAGE };
    }
  },
};

const dns: Check = {
  name: 'dns',
  async run(state) {
    if (!state.config) return skip('needs a valid configuration');
    const found: string[] = [];
    for (const url of origins(state.config)) {
      const host = url.hostname.replace(/^\[|\]$/g, '');
      if (isIP(host) !== 0) {
        found.push(`${host} (an IP address)`);
        continue;
      }
      try {
        const addresses = await lookup(host, { all: true });
        found.push(`${host} → ${addresses.map((a) => a.address).join(', ')}`);
      } catch (error) {
        return fail(
          `cannot resolve ${host} (${(error as { code?: string }).code ?? 'lookup failed'})`,
          'check the host name in WITBOOST_BASE_URL, your DNS and VPN',
          EXIT_UNAVAILABLE,
        );
      }
    }
    state.resolved = true;
    return { status: 'PASS', detail: found.join('; ') };
  },
};

function tlsHandshake(url: URL, signal: AbortSignal): Promise<CheckOutcome> {
  return new Promise((resolve) => {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const socket = connect({
      host,
      port: Number(url.port || 443),
      ...(isIP(host) === 0 ? { servername: host } : {}),
      rejectUnauthorized: false,
    });
    const done = (outcome: CheckOutcome) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(outcome);
    };
    const onAbort = () =>
      done(
        fail(
          `no TLS handshake with ${url.host} in time`,
          'check the network path to Witboost',
          EXIT_UNAVAILABLE,
        ),
      );
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('error', (error: Error & { code?: string }) =>
      done(
        fail(
          `TLS to ${url.host} failed (${error.code ?? error.message})`,
          'check the address and port in WITBOOST_BASE_URL',
          EXIT_UNAVAILABLE,
        ),
      ),
    );
    socket.once('secureConnect', () => {
      const certificate = socket.getPeerCertificate();
      const validTo = certificate?.valid_to ? Date.parse(certificate.valid_to) : Number.NaN;
      const days = Math.floor((validTo - Date.now()) / 86_400_000);
      if (!socket.authorized) {
        return done(
          fail(
            `${url.host}: certificate not trusted (${String(socket.authorizationError)})`,
            'if a company proxy re-signs TLS, point NODE_EXTRA_CA_CERTS at its CA bundle; otherwise fix the server certificate',
            EXIT_UNAVAILABLE,
          ),
        );
      }
      const detail = `${url.host}: ${socket.getProtocol() ?? 'TLS'}, certificate valid for ${days} more days`;
      done(
        days < 14
          ? { status: 'WARN', detail, fix: 'renew the server certificate soon' }
          : { status: 'PASS', detail },
      );
    });
  });
}

const tls: Check = {
  name: 'tls',
  async run(state, signal) {
    if (!state.config || !state.resolved) return skip('needs DNS');
    const secure = origins(state.config).filter((u) => u.protocol === 'https:');
    if (secure.length === 0) {
      return state.config.allowInsecureHttp
        ? {
            status: 'WARN',
            detail: 'plain http:// with --allow-insecure-http: credentials travel in clear text',
            fix: 'use https://',
          }
        : skip('http:// to a loopback host: no TLS');
    }
    const outcomes: CheckOutcome[] = [];
    for (const url of secure) outcomes.push(await tlsHandshake(url, signal));
    const worst =
      outcomes.find((o) => o.status === 'FAIL') ?? outcomes.find((o) => o.status === 'WARN');
    const detail = outcomes.map((o) => o.detail).join('; ');
    if ((state.io.env.NODE_TLS_REJECT_UNAUTHORIZED ?? '') === '0') {
      return {
        status: 'WARN',
        detail: `${detail}; NODE_TLS_REJECT_UNAUTHORIZED=0 turns certificate checks off`,
        fix: 'unset NODE_TLS_REJECT_UNAUTHORIZED; use NODE_EXTRA_CA_CERTS for a private CA',
      };
    }
    return worst ? { ...worst, detail } : { status: 'PASS', detail };
  },
};

const reachability: Check = {
  name: 'reachability',
  async run(state, signal) {
    if (!state.config || !state.resolved) return skip('needs DNS');
    const started = Date.now();
    try {
      const response = await fetch(`${state.config.baseUrl}/`, { redirect: 'manual', signal });
      const answeredAt = Date.now();
      await response.body?.cancel();
      state.reachable = true;
      state.dateSkewMs = skewFromDate(response.headers.get('date'), started, answeredAt);
      return {
        status: 'PASS',
        detail: `${state.config.baseUrl}/ answered HTTP ${response.status} in ${answeredAt - started} ms`,
      };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return fail(
        signal.aborted ? 'no answer in time' : `no answer (${cause ?? (error as Error).name})`,
        'check WITBOOST_BASE_URL (scheme, host, port), firewalls, VPN; see the proxy check below',
        EXIT_UNAVAILABLE,
      );
    }
  },
};

const exchange: Check = {
  name: 'exchange',
  async run(state) {
    const { config, accessToken } = state;
    if (!config || accessToken === undefined || !state.reachable) return skip('needs reachability');
    try {
      const { result, roundTripMs, dateSkewMs } = await probeExchange(
        config,
        accessToken,
        undefined,
      );
      state.exchanged = true;
      state.dateSkewMs ??= dateSkewMs;
      if (result.claims.iat !== undefined)
        state.iatSkewMs = result.claims.iat * 1000 - result.sentAt;
      return {
        status: 'PASS',
        detail: `subject ${result.claims.sub ?? '(none)'}, JWT lifetime ${result.lifetimeSeconds} s, ${roundTripMs} ms`,
      };
    } catch (error) {
      return failure(error, 'run wb-auth status for details');
    }
  },
};

const cgScope: Check = {
  name: 'cg-scope',
  async run(state) {
    const { config, accessToken } = state;
    if (!config || accessToken === undefined || !state.exchanged)
      return skip('needs a working exchange');
    try {
      const { result } = await probeExchange(config, accessToken, CG_SCOPE);
      const granted = (result.claims.scope ?? '').split(/\s+/).includes(CG_SCOPE);
      return granted
        ? { status: 'PASS', detail: `a JWT with scope ${CG_SCOPE} was issued` }
        : fail(
            `the JWT issued for ${CG_SCOPE} does not carry that scope`,
            'ask an administrator to grant the account access to Computational Governance',
            EXIT_REJECTED,
          );
    } catch (error) {
      return failure(
        error,
        'ask an administrator to grant the account access to Computational Governance',
      );
    }
  },
};

const basic: Check = {
  name: 'basic-auth',
  async run(state, signal) {
    const { config, accessToken } = state;
    if (!config || accessToken === undefined || !state.exchanged)
      return skip('needs a working exchange');
    try {
      const response = await fetch(`${config.baseUrl}/api/catalog/entities?limit=1`, {
        headers: { authorization: basicAuthorization(accessToken) },
        redirect: 'manual',
        signal,
      });
      await response.body?.cancel();
      const enabled = response.status >= 200 && response.status < 300;
      if (enabled) return { status: 'PASS', detail: `enabled (HTTP ${response.status})` };
      if (config.mode === 'bearer') {
        return {
          status: 'PASS',
          detail: `disabled (HTTP ${response.status}): fine, wb-auth uses Bearer`,
        };
      }
      return fail(
        `disabled on this installation (HTTP ${response.status}), but Basic mode is configured`,
        'drop --basic / WITBOOST_AUTH_MODE=basic, or enable it in values.yaml: ui.appConfig.backend.auth.basicAuth.enabled: true (and the governance platform’s basic-auth.enabled)',
        EXIT_REJECTED,
      );
    } catch (error) {
      return failure(error, 'check reachability');
    }
  },
};

const clock: Check = {
  name: 'clock-skew',
  async run(state) {
    const { dateSkewMs, iatSkewMs } = state;
    if (dateSkewMs === undefined && iatSkewMs === undefined)
      return skip('no Date header or JWT iat seen');
    const parts: string[] = [];
    if (dateSkewMs !== undefined)
      parts.push(`${formatSkew(dateSkewMs)} against the server's Date header (±1 s)`);
    // The JWT signer may run on another clock than the HTTP front (`iat` is whole seconds too).
    if (iatSkewMs !== undefined) parts.push(`JWT iat ${formatSkew(iatSkewMs)}`);
    const worst = Math.max(Math.abs(dateSkewMs ?? 0), Math.abs(iatSkewMs ?? 0));
    if (worst <= 30_000) return { status: 'PASS', detail: parts.join('; ') };
    return {
      status: 'WARN',
      detail: parts.join('; '),
      fix: 'wb-auth and @wb/auth-* ignore it (lifetimes count from the local send time), but scripts comparing exp with the local clock will not: sync the clocks (NTP)',
    };
  },
};

const PROXY_VARIABLES = [
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'ALL_PROXY',
  'all_proxy',
];

/** A proxy URL without its user:password. */
function safeProxy(value: string): string {
  try {
    const url = new URL(value);
    return `${url.protocol}//${url.username || url.password ? '…@' : ''}${url.host}`;
  } catch {
    return '(set, not a URL)';
  }
}

const proxyVariables: Check = {
  name: 'proxy-variables',
  async run(state) {
    const env = state.io.env;
    const set = PROXY_VARIABLES.filter((name) => (env[name] ?? '').trim() !== '');
    if (set.length === 0) return { status: 'PASS', detail: 'none set: direct connection' };
    const noProxy = env.NO_PROXY ?? env.no_proxy;
    return {
      status: 'WARN',
      detail: `${set.map((n) => `${n}=${safeProxy(env[n] ?? '')}`).join(', ')}${noProxy ? `, NO_PROXY=${noProxy}` : ''}: Node's fetch ignores them and connects directly`,
      fix: 'if Witboost is only reachable through that proxy, the reachability check fails: run wb-auth where Witboost is reachable directly',
    };
  },
};

/** The checks, in the order they run and depend on each other. */
export const CHECKS: readonly Check[] = [
  configuration,
  dns,
  tls,
  reachability,
  exchange,
  cgScope,
  basic,
  clock,
  proxyVariables,
];
