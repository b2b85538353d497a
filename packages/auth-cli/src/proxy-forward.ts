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

/** Headers named in `Connection` are hop-by-hop too (`keep-alive` and `close` name none). */
function connectionTokens(value: string | string[] | undefined): Set<string> | undefined {
  if (value === undefined || value === 'keep-alive' || value === 'close') return undefined;
  const text = Array.isArray(value) ? value.join(',') : value;
  return new Set(
    text
      .split(',')
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean),
  );
}

function filtered(
  headers: IncomingMessage['headers'],
  dropped: ReadonlySet<string>,
): Record<string, string | string[]> {
  const extra = connectionTokens(headers.connection);
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || dropped.has(name) || extra?.has(name)) continue;
    out[name] = value;
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
  const headers = filtered(req.headers, DROPPED_REQUEST);
  headers.host = target.host;
  headers.authorization = authorization;
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
    res.writeHead(status, answer.statusMessage, filtered(answer.headers, DROPPED_RESPONSE));
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
  req.pipe(upstream);
  req.on('error', () => upstream.destroy());
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
