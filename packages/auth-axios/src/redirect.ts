import type { WitboostAuth } from '@wb/auth-core';
import type { AxiosRequestConfig } from 'axios';
import { originOf } from './destination.js';

type BeforeRedirect = NonNullable<AxiosRequestConfig['beforeRedirect']>;

/**
 * On our hooks, the user's hook each wraps, so a replay does not wrap twice. A property, not a
 * WeakMap: a hook is made per request, and a WeakMap entry each costs the garbage collector.
 */
const WRAPS = Symbol('witboost.wrapsBeforeRedirect');

type Guard = BeforeRedirect & { [WRAPS]?: BeforeRedirect | undefined };

/**
 * A `beforeRedirect` hook (Node http adapter, follow-redirects) that drops `Authorization` unless
 * the redirect stays on the Witboost origin we authorised. Recent axios already strips it on any
 * origin change, but older 1.x releases keep it for subdomains and http→https upgrades.
 */
export function guardRedirects(
  auth: WitboostAuth,
  authorisedUrl: string,
  userHook: BeforeRedirect | undefined,
): BeforeRedirect {
  const original =
    userHook !== undefined && WRAPS in userHook ? (userHook as Guard)[WRAPS] : userHook;
  const hook: Guard = function witboostBeforeRedirect(options, response, request) {
    const target = typeof options.href === 'string' ? options.href : '';
    // Parsed here, not when the request is sent: redirects are rare, requests are not.
    if (originOf(target) !== originOf(authorisedUrl) || !auth.isWitboostUrl(target)) {
      const headers: Record<string, unknown> = options.headers ?? {};
      for (const name of Object.keys(headers)) {
        if (name.toLowerCase() === 'authorization') delete headers[name];
      }
    }
    original?.(options, response, request);
  };
  hook[WRAPS] = original;
  return hook;
}
