import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { connect } from 'node:tls';
import { EXIT_UNAVAILABLE } from '../exit-codes.js';
import { skewFromDate } from '../probe-exchange.js';
import { advise, type Check, type CheckOutcome, fail, notRun, origins } from './check.js';

export const dns: Check = {
  name: 'dns',
  async run(state) {
    if (!state.config) return notRun('needs a valid configuration');
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
          ? advise(detail, 'renew the server certificate soon')
          : { status: 'PASS', detail },
      );
    });
  });
}

export const tls: Check = {
  name: 'tls',
  async run(state, signal) {
    if (!state.config || !state.resolved) return notRun('needs DNS');
    const secure = origins(state.config).filter((u) => u.protocol === 'https:');
    if (secure.length === 0) {
      return state.config.allowInsecureHttp
        ? advise(
            'plain http:// with --allow-insecure-http: credentials travel in clear text',
            'use https://',
          )
        : { status: 'PASS', detail: 'http:// to a loopback host: no TLS needed' };
    }
    const outcomes: CheckOutcome[] = [];
    for (const url of secure) outcomes.push(await tlsHandshake(url, signal));
    const worst =
      outcomes.find((o) => o.status === 'FAIL') ?? outcomes.find((o) => o.fix !== undefined);
    const detail = outcomes.map((o) => o.detail).join('; ');
    if ((state.io.env.NODE_TLS_REJECT_UNAUTHORIZED ?? '') === '0') {
      return advise(
        `${detail}; NODE_TLS_REJECT_UNAUTHORIZED=0 turns certificate checks off`,
        'unset NODE_TLS_REJECT_UNAUTHORIZED; use NODE_EXTRA_CA_CERTS for a private CA',
      );
    }
    return worst ? { ...worst, detail } : { status: 'PASS', detail };
  },
};

export const reachability: Check = {
  name: 'reachability',
  async run(state, signal) {
    if (!state.config || !state.resolved) return notRun('needs DNS');
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
