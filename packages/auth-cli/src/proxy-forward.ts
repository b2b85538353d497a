import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream';

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

/** Headers named in `Connection` are hop-by-hop too. */
function connectionTokens(value: string | string[] | undefined): Set<string> {
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
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
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || dropped.has(name) || extra.has(name)) continue;
    out[name] = value;
  }
  return out;
}

/** What happened to one forwarded request, for the caller's bookkeeping. */
export interface ForwardHooks {
  /** The upstream answered (e.g. 401: invalidate the credential). */
  onStatus(status: number): void;
  /** The upstream could not be reached or did not answer in time. */
  onUpstreamError(kind: 'unreachable' | 'timeout'): void;
}

/**
 * Streams `req` to `target` with `authorization`, and the answer back, both ways without
 * buffering. A client that goes away aborts the upstream request.
 */
export function forward(
  req: IncomingMessage,
  res: ServerResponse,
  target: URL,
  authorization: string,
  idleTimeoutMs: number,
  hooks: ForwardHooks,
): void {
  const headers = filtered(req.headers, DROPPED_REQUEST);
  headers.host = target.host;
  headers.authorization = authorization;
  const secure = target.protocol === 'https:';
  const upstream = (secure ? httpsRequest : httpRequest)(target, {
    method: req.method,
    headers,
    agent: secure ? httpsAgent : httpAgent,
  });
  upstream.setTimeout(idleTimeoutMs, () => {
    hooks.onUpstreamError('timeout');
    upstream.destroy(new Error('upstream idle timeout'));
    if (!res.headersSent)
      sendProblem(res, 504, 'upstream_timeout', 'Witboost did not answer in time.');
  });
  upstream.on('response', (answer) => {
    const status = answer.statusCode ?? 502;
    hooks.onStatus(status);
    res.writeHead(status, answer.statusMessage, filtered(answer.headers, DROPPED_RESPONSE));
    pipeline(answer, res, () => undefined);
  });
  upstream.on('error', () => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    hooks.onUpstreamError('unreachable');
    sendProblem(res, 502, 'upstream_unreachable', 'Witboost could not be reached.');
  });
  // The request body streams as it arrives; pipeline destroys both sides on either's failure.
  pipeline(req, upstream, () => undefined);
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
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
