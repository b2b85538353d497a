import { formatSkew } from '../format.js';
import { advise, type Check, notRun } from './check.js';

export const clock: Check = {
  name: 'clock-skew',
  async run(state) {
    const { dateSkewMs, iatSkewMs } = state;
    if (!state.exchanged) return notRun('needs a working exchange');
    if (dateSkewMs === undefined && iatSkewMs === undefined) {
      return { status: 'PASS', detail: 'no Date header or JWT iat to compare with' };
    }
    const parts: string[] = [];
    if (dateSkewMs !== undefined)
      parts.push(`${formatSkew(dateSkewMs)} against the server's Date header (±1 s)`);
    // The JWT signer may run on another clock than the HTTP front (`iat` is whole seconds too).
    if (iatSkewMs !== undefined) parts.push(`JWT iat ${formatSkew(iatSkewMs)}`);
    const worst = Math.max(Math.abs(dateSkewMs ?? 0), Math.abs(iatSkewMs ?? 0));
    if (worst <= 30_000) return { status: 'PASS', detail: parts.join('; ') };
    return advise(
      parts.join('; '),
      'wb-auth and @wb/auth-* ignore it (lifetimes count from the local send time), but scripts comparing exp with the local clock will not: sync the clocks (NTP)',
    );
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

export const proxyVariables: Check = {
  name: 'proxy-variables',
  async run(state) {
    const env = state.io.env;
    const set = PROXY_VARIABLES.filter((name) => (env[name] ?? '').trim() !== '');
    if (set.length === 0) return { status: 'PASS', detail: 'none set: direct connection' };
    const noProxy = env.NO_PROXY ?? env.no_proxy;
    return advise(
      `${set.map((n) => `${n}=${safeProxy(env[n] ?? '')}`).join(', ')}${noProxy ? `, NO_PROXY=${noProxy}` : ''}: Node's fetch ignores them and connects directly`,
      'if Witboost is only reachable through that proxy, the reachability check fails: run wb-auth where Witboost is reachable directly',
    );
  },
};
