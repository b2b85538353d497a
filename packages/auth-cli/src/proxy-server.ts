import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isWitboostAuthError, toHttpProblem, type WitboostAuth } from '@wb/auth-core';
import {
  type ForwardHooks,
  forward,
  sendProblem,
  type UpstreamOrigin,
  upstreamOrigin,
} from './proxy-forward.js';
import { type BoundAddress, createHostCheck, isCrossSite } from './proxy-guard.js';

const CG_PATH = '/api/computational-governance';

/** What the request handler needs; `bound` is known only after `listen`. */
export interface ProxyOptions {
  auth: WitboostAuth;
  /** Origin of its own for Computational Governance, if configured. */
  cgUrl: string | undefined;
  allowedHosts: readonly string[];
  headersTimeoutMs: number;
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
  const main = upstreamOrigin(base);
  const cg =
    options.cgUrl === undefined ? undefined : upstreamOrigin(new URL(options.cgUrl).origin);
  let isOwnHost: (host: string | undefined) => boolean = () => false;
  let draining = false;
  let lastFailure: string | undefined;
  let upstreamFailing = false;

  /** Where a path goes: CG paths to the CG origin when it has its own, the rest below baseUrl. */
  function targetFor(path: string): UpstreamOrigin {
    if (cg === undefined || !path.startsWith(CG_PATH)) return main;
    const next = path.charCodeAt(CG_PATH.length);
    // `/api/computational-governance`, then `/`, `?` or the end: a segment boundary.
    return Number.isNaN(next) || next === 47 || next === 63 ? cg : main;
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

  /**
   * Ready while core holds a servable credential for the default scope (kept warm): read from
   * `auth.status()`, synchronous and secret-free, so a probe never triggers an exchange.
   */
  function ready(res: ServerResponse): void {
    const now = Date.now();
    const { closed, scopes } = auth.status();
    const main = scopes.find((s) => s.scope === undefined);
    const servable =
      main !== undefined &&
      (main.state === 'fresh' ||
        main.state === 'refreshing' ||
        (main.state === 'failing' && (main.expiresAt ?? 0) > now));
    sendJson(res, servable && !closed ? 200 : 503, {
      ready: servable && !closed,
      scopes: scopes.map((s) => ({
        scope: s.scope ?? null,
        state: s.state,
        ...(s.expiresAt === undefined
          ? {}
          : { expiresInSeconds: Math.round((s.expiresAt - now) / 1000) }),
        ...(s.lastError === undefined ? {} : { lastError: s.lastError.code }),
      })),
    });
  }

  /** Values of settled `authorizationFor` promises: core hands out the same one while fresh. */
  const settled = new WeakMap<Promise<string | undefined>, string | undefined>();

  const hooks: ForwardHooks = {
    onStatus(status, authorization) {
      upstreamFailing = false;
      // The next request exchanges again (once, however many saw the 401).
      if (status === 401) auth.invalidate(authorization);
    },
    onUpstreamError(kind, target) {
      // Once per outage, not once per request.
      if (!upstreamFailing) options.warn(`forwarding to ${target.prefix} failed: ${kind}`);
      upstreamFailing = true;
    },
  };

  function proceed(
    req: IncomingMessage,
    res: ServerResponse,
    target: UpstreamOrigin,
    path: string,
    authorization: string | undefined,
  ): void {
    if (authorization === undefined) {
      req.resume();
      sendProblem(res, 400, 'not_witboost', 'That path does not lead to a Witboost origin.');
      return;
    }
    lastFailure = undefined;
    forward(req, res, target, path, authorization, options.headersTimeoutMs, hooks);
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    if (draining) res.setHeader('connection', 'close');
    const host = req.headers.host;
    if (!isOwnHost(host)) {
      req.resume();
      sendProblem(
        res,
        421,
        'foreign_host',
        'This proxy answers only requests addressed to its own address.',
      );
      return;
    }
    if (isCrossSite(req.headers, host ?? '')) {
      req.resume();
      sendProblem(res, 403, 'cross_site', 'Requests from web pages of other sites are refused.');
      return;
    }
    const path = req.url ?? '';
    if (path === '/healthz') {
      sendJson(res, 200, { status: draining ? 'draining' : 'ok' });
      return;
    }
    if (path === '/readyz') {
      ready(res);
      return;
    }
    // Origin-form only: an absolute URL (a forward-proxy request) or `*` goes nowhere.
    if (!path.startsWith('/') || path.startsWith('//')) {
      req.resume();
      sendProblem(res, 400, 'bad_request_target', 'Give a path, e.g. /api/catalog/entities.');
      return;
    }
    const target = targetFor(path);
    // The same string every time for the same path: core's warm path, no URL parsing. The
    // request itself goes to `target`'s host whatever the path holds (it only appends to it).
    const pending = auth.authorizationFor(target.prefix + path);
    // A promise seen settled before holds the same value: forward now, without waiting a turn.
    if (settled.has(pending)) {
      proceed(req, res, target, path, settled.get(pending));
      return;
    }
    pending.then(
      (authorization) => {
        settled.set(pending, authorization);
        proceed(req, res, target, path, authorization);
      },
      (error: unknown) => {
        req.resume();
        credentialFailure(res, error);
      },
    );
  }

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch {
      sendProblem(res, 500, 'proxy_error', 'Internal proxy error.');
    }
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
