import type { RequestListener } from 'node:http';
import type { WitboostRequestContext } from '@wb/auth-core';
import { listen } from '@wb/middleware-contract';
import { APP_PATHS, callApp } from './http.js';
import { expectOk, type Target, VALIDATE_BODY } from './soak.js';
import type { AdapterUnderSoak } from './soak-adapter.js';

/** The target an app route serves, from its path (`APP_PATHS`). */
export function targetOf(path: string): Target {
  return path === APP_PATHS.catalog ? 'catalog' : 'validate';
}

/** The Witboost call an app route makes for `target`, through the request's context. */
export function callWitboost(witboost: WitboostRequestContext, target: Target): Promise<Response> {
  if (target === 'catalog') return witboost.fetch('/api/catalog/entities');
  return witboost.fetch('/api/computational-governance/validate', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(VALIDATE_BODY),
  });
}

/**
 * Serves a framework app that uses an HTTP middleware adapter (Express, Koa) on 127.0.0.1 as the
 * adapter under soak: each soak request goes through the app, the leak hunt looks at the
 * middleware and the first request context, and `close()` stops the server, then the middleware.
 */
export async function serveMiddlewareApp(
  listener: RequestListener,
  middleware: { close(): Promise<void> },
  context: () => WitboostRequestContext | undefined,
): Promise<AdapterUnderSoak> {
  const server = await listen(listener);
  return {
    async request(target) {
      const { status, body } = await callApp(server.url, target);
      await expectOk(target, status, body);
    },
    objects: () => ({ middleware, context: context(), auth: context()?.auth }),
    async close() {
      await server.close();
      await middleware.close();
    },
  };
}
