import type { WitboostAuth } from '@wb/auth-core';
import type { AxiosRequestConfig } from 'axios';
import { originOf } from './destination.js';
import { markWrapper, unwrapped } from './wrapper.js';

type BeforeRedirect = NonNullable<AxiosRequestConfig['beforeRedirect']>;

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
  const original = unwrapped(userHook);
  const hook: BeforeRedirect = function witboostBeforeRedirect(options, response, request) {
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
  return markWrapper(hook, original);
}
