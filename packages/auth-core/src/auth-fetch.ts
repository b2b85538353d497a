import { CREDENTIAL_HEADERS, isReplayableBody } from './http-rules.js';
import { ownOptions } from './options.js';
import { redactSecrets } from './redact.js';
import type { WitboostAuth, WitboostAuthEvent } from './types.js';
import { resolveAgainstBase } from './url/resolve.js';

interface AuthFetchDeps {
  /** Relative request URLs resolve against it (origin + optional path prefix). */
  baseUrl: string;
  /** `undefined` when `url` must not receive credentials. */
  authorizationFor(url: URL, signal?: AbortSignal): Promise<string | undefined>;
  invalidate(authorization: string): void;
  fetch: typeof globalThis.fetch;
  /** The observer's emit, which never throws. */
  emit(event: WitboostAuthEvent): void;
}

const MAX_REDIRECTS = 20; // as in the fetch standard
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const REQUEST_BODY_HEADERS = [
  'content-encoding',
  'content-language',
  'content-location',
  'content-type',
  'content-length',
];
// The fetch standard upper-cases these methods only (not PATCH).
const NORMALISED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

/** The request URL as `auth.fetch` (and `authorizationFor`) resolve it; a TypeError, as fetch's, if invalid. */
export function resolveRequestUrl(input: string | URL, baseUrl: string): URL {
  if (input instanceof URL) return new URL(input.href);
  const url = resolveAgainstBase(baseUrl, input);
  if (url === undefined) throw new TypeError('[@wb/auth-core] fetch failed: invalid request URL');
  return url;
}

/**
 * The `fetch` of an identity. It follows redirects itself, to decide every hop's credentials:
 * - our header only where `authorizationFor` gives one; the caller's own wins on the original origin;
 * - once a redirect leaves the original origin, no hop carries `Authorization`, `Cookie` or
 *   `Proxy-Authorization` (ours or the caller's), even back on it;
 * - 301/302 turn POST into GET, 303 anything but GET/HEAD, as the fetch standard does; other
 *   redirects resend the body unless it is a stream (then the redirect is returned as is);
 * - a 401 to our header invalidates it and replays the request once with a fresh one, when the
 *   body is replayable (a `Request`'s body is a stream: pass it in `init` to get replays).
 */
export function createAuthFetch(deps: AuthFetchDeps): WitboostAuth['fetch'] {
  const baseUrl = deps.baseUrl;

  return async function witboostFetch(input, init) {
    const plan = planRequest(input, init, baseUrl);
    const originalOrigin = plan.url.origin;
    const callerAuthorization = plan.headers.get('authorization');
    plan.headers.delete('authorization');
    const signal = plan.signal ?? undefined;

    let { url, method, body } = plan;
    let leftOrigin = false;
    let replayed = false;
    let hops = 0;

    const send = (headers: Headers): Promise<Response> =>
      // A null prototype: fetch reads inherited init fields (a polluted `mode`, `credentials`).
      deps.fetch(
        url.href,
        ownOptions({
          ...plan.rest,
          method,
          headers,
          body,
          redirect: 'manual',
          signal,
          ...(isReplayableBody(body) ? {} : { duplex: 'half' as const }),
        }),
      );

    for (;;) {
      const headers = new Headers(plan.headers);
      let attached: string | undefined;
      if (!leftOrigin) {
        if (callerAuthorization !== null) headers.set('authorization', callerAuthorization);
        else {
          attached = await deps.authorizationFor(url, signal);
          if (attached !== undefined) headers.set('authorization', attached);
        }
      }
      let response = await send(headers);

      if (
        response.status === 401 &&
        attached !== undefined &&
        !replayed &&
        isReplayableBody(body)
      ) {
        replayed = true;
        deps.invalidate(attached);
        let fresh: string | undefined;
        try {
          fresh = await deps.authorizationFor(url, signal);
        } catch (error) {
          discard(response);
          throw error;
        }
        // The same header again would only earn the same 401: hand the caller that one.
        if (fresh !== undefined && fresh !== attached) {
          // No query string, and no token even if one sits in the path.
          const eventUrl = redactSecrets(`${url.origin}${url.pathname}`);
          deps.emit({ type: 'replay_after_401', url: eventUrl, method });
          discard(response);
          headers.set('authorization', fresh);
          response = await send(headers);
        }
      }

      if (!REDIRECT_STATUSES.has(response.status) || plan.redirect === 'manual') {
        return markRedirected(response, hops);
      }
      if (plan.redirect === 'error')
        throw failed(response, 'redirect received with redirect "error"');
      const location = response.headers.get('location');
      if (location === null) return markRedirected(response, hops);
      const next = parseUrl(location, url);
      if (next === undefined || (next.protocol !== 'http:' && next.protocol !== 'https:')) {
        throw failed(response, 'redirect to an invalid or non-HTTP URL');
      }
      if (++hops > MAX_REDIRECTS) throw failed(response, `more than ${MAX_REDIRECTS} redirects`);
      const status = response.status;
      if (
        ((status === 301 || status === 302) && method === 'POST') ||
        (status === 303 && method !== 'GET' && method !== 'HEAD')
      ) {
        method = 'GET';
        body = null;
        for (const name of REQUEST_BODY_HEADERS) plan.headers.delete(name);
      } else if (!isReplayableBody(body)) {
        // A stream is spent: the caller gets the redirect and can decide.
        return markRedirected(response, hops - 1);
      }
      if (next.origin !== originalOrigin && !leftOrigin) {
        leftOrigin = true;
        for (const name of CREDENTIAL_HEADERS) plan.headers.delete(name);
      }
      discard(response);
      url = next;
    }
  };
}

interface RequestPlan {
  url: URL;
  method: string;
  headers: Headers;
  body: RequestInit['body'];
  signal: AbortSignal | null | undefined;
  redirect: NonNullable<RequestInit['redirect']>;
  /** Every other init field, passed on to each hop. */
  rest: RequestInit;
}

function planRequest(
  input: string | URL | Request,
  init: RequestInit | undefined,
  baseUrl: string,
): RequestPlan {
  const { method, headers, body, signal, redirect, ...rest } = init ?? {};
  if (isRequest(input)) {
    return {
      url: new URL(input.url),
      method: normaliseMethod(method ?? input.method),
      headers: new Headers(headers ?? input.headers),
      body: body !== undefined ? body : input.body,
      signal: signal !== undefined ? signal : input.signal,
      redirect: redirect ?? input.redirect,
      rest: {
        credentials: input.credentials,
        integrity: input.integrity,
        keepalive: input.keepalive,
        referrerPolicy: input.referrerPolicy,
        ...rest,
      },
    };
  }
  if (typeof input !== 'string' && !(input instanceof URL)) {
    throw new TypeError('[@wb/auth-core] fetch input must be a string, a URL or a Request');
  }
  return {
    url: resolveRequestUrl(input, baseUrl),
    method: normaliseMethod(method ?? 'GET'),
    headers: new Headers(headers),
    body,
    signal,
    redirect: redirect ?? 'follow',
    rest,
  };
}

// Duck-typed, so a Request from another undici copy is recognised too.
function isRequest(input: unknown): input is Request {
  return (
    typeof input === 'object' &&
    input !== null &&
    !(input instanceof URL) &&
    typeof (input as Request).url === 'string' &&
    typeof (input as Request).method === 'string' &&
    typeof (input as Request).headers === 'object'
  );
}

function normaliseMethod(method: string): string {
  const upper = method.toUpperCase();
  return NORMALISED_METHODS.has(upper) ? upper : method;
}

function parseUrl(value: string, base?: URL): URL | undefined {
  try {
    return new URL(value, base);
  } catch {
    return undefined;
  }
}

function discard(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}

/** A TypeError, as fetch's own failures, after releasing the response. */
function failed(response: Response, why: string): TypeError {
  discard(response);
  return new TypeError(`[@wb/auth-core] fetch failed: ${why}`);
}

function markRedirected(response: Response, hops: number): Response {
  // The platform sets `redirected` only when it follows redirects itself; we did it instead.
  if (hops > 0) Object.defineProperty(response, 'redirected', { value: true });
  return response;
}
