import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isWitboostAuthError, toHttpProblem, type WitboostAuth } from '@wb/auth-core';
import { forward, sendProblem } from './proxy-forward.js';
import { type BoundAddress, createHostCheck, isCrossSite } from './proxy-guard.js';

const CG_PATH = '/api/computational-governance';

/** What the request handler needs; `bound` is known only after `listen`. */
export interface ProxyOptions {
  auth: WitboostAuth;
  /** Origin of its own for Computational Governance, if configured. */
  cgUrl: string | undefined;
  allowedHosts: readonly string[];
  idleTimeoutMs: number;
  /** A failure worth telling the operator about (never a secret). */
  warn(message: string): void;
}

/** The proxy server: local probes, guards, then credentials and forwarding. */
export function createProxyServer(options: ProxyOptions): {
  server: Server;
  setBound(bound: BoundAddress): void;
  startDraining(): void;
} {
  const { auth } = options;
  const base = auth.baseUrl;
  const cgOrigin = options.cgUrl === undefined ? undefined : new URL(options.cgUrl).origin;
  let isOwnHost: (host: string | undefined) => boolean = () => false;
  let draining = false;
  let lastFailure: string | undefined;

  /** Where a path goes: CG paths to the CG origin when it has its own, the rest below baseUrl. */
  function targetFor(path: string): URL {
    const underCg =
      path === CG_PATH || path.startsWith(`${CG_PATH}/`) || path.startsWith(`${CG_PATH}?`);
    return new URL(cgOrigin !== undefined && underCg ? cgOrigin + path : base + path);
  }

  function credentialFailure(res: ServerResponse, error: unknown): void {
    if (!isWitboostAuthError(error)) {
      sendProblem(res, 502, 'proxy_error', 'The proxy could not get a credential.');
      return;
    }
    // Loud on stderr (once per kind of failure), and never a request without credentials.
    if (lastFailure !== error.code) {
      lastFailure = error.code;
      options.warn(`no credential for Witboost: ${error.message}`);
    }
    const problem = toHttpProblem(error);
    // The proxy's own account is the "service" here: a rejected token is a bad gateway.
    sendProblem(
      res,
      problem.status,
      problem.body.error.code,
      problem.body.error.message,
      problem.headers,
    );
  }

  async function ready(res: ServerResponse): Promise<void> {
    try {
      await auth.authorizationFor(`${base}/`, { signal: AbortSignal.timeout(2_000) });
      sendJson(res, 200, { ready: true });
    } catch (error) {
      const code = isWitboostAuthError(error) ? error.code : 'unknown';
      sendJson(res, 503, { ready: false, error: { code } });
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (draining) res.setHeader('connection', 'close');
    const host = req.headers.host;
    if (!isOwnHost(host)) {
      req.resume();
      return sendProblem(
        res,
        421,
        'foreign_host',
        'This proxy answers only requests addressed to its own address.',
      );
    }
    if (isCrossSite(req.headers, host ?? '')) {
      req.resume();
      return sendProblem(
        res,
        403,
        'cross_site',
        'Requests from web pages of other sites are refused.',
      );
    }
    const path = req.url ?? '';
    if (path === '/healthz') return sendJson(res, 200, { status: draining ? 'draining' : 'ok' });
    if (path === '/readyz') return ready(res);
    // Origin-form only: an absolute URL (a forward-proxy request) or `*` goes nowhere.
    if (!path.startsWith('/') || path.startsWith('//')) {
      req.resume();
      return sendProblem(
        res,
        400,
        'bad_request_target',
        'Give a path, e.g. /api/catalog/entities.',
      );
    }
    const target = targetFor(path);
    let authorization: string | undefined;
    try {
      authorization = await auth.authorizationFor(target.href);
    } catch (error) {
      req.resume();
      return credentialFailure(res, error);
    }
    if (authorization === undefined) {
      req.resume();
      return sendProblem(res, 400, 'not_witboost', 'That path does not lead to a Witboost origin.');
    }
    lastFailure = undefined;
    forward(req, res, target, authorization, options.idleTimeoutMs, {
      onStatus(status) {
        // The next request exchanges again (once, however many saw the 401).
        if (status === 401) auth.invalidate(authorization);
      },
      onUpstreamError(kind) {
        options.warn(`forwarding to ${target.origin} failed: ${kind}`);
      },
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => sendProblem(res, 500, 'proxy_error', 'Internal proxy error.'));
  });
  return {
    server,
    setBound(bound) {
      isOwnHost = createHostCheck(bound, options.allowedHosts);
    },
    startDraining() {
      draining = true;
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}
