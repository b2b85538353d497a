import {
  type ClientRequest,
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

// Headers of one hop, never forwarded (RFC 9110 §7.6.1), plus the caller's own credentials:
// the proxy speaks for the configured account only, and a browser's cookies are not Witboost's
// business through it. `expect` is answered by this server, not passed on.
const DROPPED_REQUEST = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'host',
  'authorization',
  'proxy-authorization',
  'cookie',
]);
// Witboost's session cookies would land in whatever local client called the proxy.
const DROPPED_RESPONSE = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'set-cookie',
]);

const httpAgent = new HttpAgent({ keepAlive: true });
const httpsAgent = new HttpsAgent({ keepAlive: true });

const KEEP = 0;
const DROP = 1;
/** `Connection`: dropped, and the names it lists are dropped too. */
const CONNECTION = 2;
type Verdict = typeof KEEP | typeof DROP | typeof CONNECTION;

/**
 * What happens to a header, looked up by its name as spelt on the wire: clients send the same
 * spellings on every request, and `toLowerCase()` of a capitalised one (`Host`, node's own
 * `Keep-Alive`) is a call into the runtime that showed in the profile (bench
 * proxy_vs_bare_forwarder). Cleared when full, so a client inventing names cannot grow it.
 */
function verdicts(dropped: ReadonlySet<string>): (name: string) => Verdict {
  const bySpelling = new Map<string, Verdict>();
  return (name) => {
    let verdict = bySpelling.get(name);
    if (verdict === undefined) {
      const lower = name.toLowerCase();
      verdict = lower === 'connection' ? CONNECTION : dropped.has(lower) ? DROP : KEEP;
      if (bySpelling.size >= 1_000) bySpelling.clear();
      bySpelling.set(name, verdict);
    }
    return verdict;
  };
}

const requestVerdict = verdicts(DROPPED_REQUEST);
const responseVerdict = verdicts(DROPPED_RESPONSE);

/**
 * The headers of `raw` (`rawHeaders`: name, value, name, value…, names as the peer spelt them)
 * that go on, as such a flat list, which node:http takes as it is. Working on the raw list
 * skips the `headers` object node builds on first read, and keeps repeated headers as sent.
 * Headers named in `Connection` are hop-by-hop too (`keep-alive` and `close` name none).
 */
function forwardable(raw: readonly string[], verdictOf: (name: string) => Verdict): string[] {
  let extra: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    if (verdictOf(raw[i] as string) !== CONNECTION) continue;
    const value = raw[i + 1] as string;
    if (value === 'keep-alive' || value === 'close') continue;
    for (const token of value.split(',')) {
      const named = token.trim().toLowerCase();
      if (named !== '' && named !== 'keep-alive' && named !== 'close') {
        extra ??= new Set();
        extra.add(named);
      }
    }
  }
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (verdictOf(name) !== KEEP || extra?.has(name.toLowerCase())) continue;
    out.push(name, raw[i + 1] as string);
  }
  return out;
}

/** A Witboost origin the proxy forwards to, parsed once: no URL parsing per request. */
export interface UpstreamOrigin {
  /** `scheme://host[:port]` plus the base path, no trailing slash: what request paths append to. */
  readonly prefix: string;
  readonly secure: boolean;
  readonly hostname: string;
  readonly port: number;
  /** The `Host` header value. */
  readonly host: string;
  readonly basePath: string;
}

export function upstreamOrigin(url: string): UpstreamOrigin {
  const parsed = new URL(url);
  const secure = parsed.protocol === 'https:';
  const basePath = parsed.pathname.replace(/\/+$/, '');
  return {
    prefix: parsed.origin + basePath,
    secure,
    hostname: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: Number(parsed.port || (secure ? 443 : 80)),
    host: parsed.host,
    basePath,
  };
}

/** What happened to one forwarded request, for the caller's bookkeeping. */
export interface ForwardHooks {
  /** The upstream answered (e.g. 401: invalidate the credential that was sent). */
  onStatus(status: number, authorization: string): void;
  /** The upstream could not be reached or did not answer in time. */
  onUpstreamError(kind: 'unreachable' | 'timeout', target: UpstreamOrigin): void;
}

/**
 * Streams `req` to `path` below `target` with `authorization`, and the answer back, both ways without
 * buffering. A client that goes away aborts the upstream request.
 */
export function forward(
  req: IncomingMessage,
  res: ServerResponse,
  target: UpstreamOrigin,
  path: string,
  authorization: string,
  headersTimeoutMs: number,
  hooks: ForwardHooks,
): void {
  const headers = forwardable(req.rawHeaders, requestVerdict);
  headers.push('host', target.host, 'authorization', authorization);
  const { secure } = target;
  const upstream = (secure ? httpsRequest : httpRequest)({
    hostname: target.hostname,
    port: target.port,
    path: target.basePath + path,
    method: req.method,
    headers,
    agent: secure ? httpsAgent : httpAgent,
  });
  awaitHeaders(upstream, headersTimeoutMs, () => {
    hooks.onUpstreamError('timeout', target);
    upstream.destroy(new Error('upstream timeout'));
    sendProblem(res, 504, 'upstream_timeout', 'Witboost did not answer in time.');
  });
  upstream.on('response', (answer) => {
    waiting.delete(upstream);
    const status = answer.statusCode ?? 502;
    hooks.onStatus(status, authorization);
    const headers = forwardable(answer.rawHeaders, responseVerdict);
    if (res.hasHeader('connection')) {
      // Set before (the draining server's `connection: close`): writeHead() would merge the
      // list into it one name at a time, keeping only the last of repeated headers.
      for (let i = 0; i < headers.length; i += 2) {
        res.appendHeader(headers[i] as string, headers[i + 1] as string);
      }
      res.writeHead(status, answer.statusMessage);
    } else res.writeHead(status, answer.statusMessage, headers);
    // pipe(), not pipeline(): pipeline() builds an AbortController and a DOMException per call,
    // the largest cost in this proxy's profile (bench proxy_vs_bare_forwarder).
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  });
  upstream.on('error', () => {
    waiting.delete(upstream);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    hooks.onUpstreamError('unreachable', target);
    sendProblem(res, 502, 'upstream_unreachable', 'Witboost could not be reached.');
  });
  // The request body streams as it arrives, with backpressure; a broken one aborts the upstream.
  // A client that goes away (mid-body too) closes `res` unfinished: that aborts the upstream.
  req.pipe(upstream);
  res.on('close', () => {
    if (res.writableFinished) return;
    waiting.delete(upstream);
    upstream.destroy();
  });
}

/**
 * Upstream requests still waiting for their response headers, with their deadlines. One sweep
 * a second instead of a socket timeout per request, which showed in the proxy's profile (bench
 * proxy_vs_bare_forwarder). Once the answer streams, the client decides how long it waits.
 */
const waiting = new Map<ClientRequest, { deadline: number; onTimeout: () => void }>();
let sweeper: NodeJS.Timeout | undefined;

function awaitHeaders(request: ClientRequest, timeoutMs: number, onTimeout: () => void): void {
  waiting.set(request, { deadline: Date.now() + timeoutMs, onTimeout });
  if (sweeper !== undefined) return;
  sweeper = setInterval(() => {
    const now = Date.now();
    for (const [pending, { deadline, onTimeout: expire }] of waiting) {
      if (deadline <= now) {
        waiting.delete(pending);
        expire();
      }
    }
  }, 1_000).unref();
}

/** A JSON error answer from the proxy itself. */
export function sendProblem(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: { code, message } });
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
