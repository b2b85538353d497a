import { vi } from 'vitest';

export const ACCESS_TOKEN = 'wbat-TESTaccessTOKEN0123456789abcdefghijk';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsigned-looking compact JWS with the given claims (the client never verifies). */
export function makeJwt(claims: Record<string, unknown>): string {
  return `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(claims)}.c2lnbmF0dXJl`;
}

/** JWT valid for `lifetimeSeconds` on the (possibly fake) clock, optionally skewed. */
export function jwtFor(
  lifetimeSeconds: number,
  extra: Record<string, unknown> = {},
  skewSeconds = 0,
) {
  const iat = Math.floor(Date.now() / 1000) + skewSeconds;
  return makeJwt({ sub: 'user:svc', iat, exp: iat + lifetimeSeconds, ...extra });
}

export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

export interface ExchangeCall {
  url: string;
  body: { access_token: string; duration_seconds: number; scope?: string };
}

/**
 * A fetch stub for the exchange endpoint. `answer` decides each response; the default issues a
 * JWT of `lifetimeSeconds` carrying the requested scope.
 */
export function exchangeStub(
  answer?: (call: ExchangeCall, index: number) => Response | Promise<Response>,
  lifetimeSeconds = 300,
) {
  const calls: ExchangeCall[] = [];
  const fetch = vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
    const call: ExchangeCall = {
      url: String(input),
      body: JSON.parse(String(init?.body)) as ExchangeCall['body'],
    };
    calls.push(call);
    if (answer !== undefined) return answer(call, calls.length - 1);
    return jsonResponse(200, { jwt: jwtFor(lifetimeSeconds, { scope: call.body.scope }) });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls, mock: fetch };
}

/** A fetch that never answers until its signal aborts. */
export function hangingFetch() {
  return vi.fn(
    (_input: string | URL | Request, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () =>
          reject(new DOMException('aborted', 'AbortError')),
        );
      }),
  ) as unknown as typeof globalThis.fetch;
}

/** Everything a secret could leak through. */
export function renderings(value: unknown): string {
  const error = value as { message?: unknown; stack?: unknown; cause?: unknown };
  return [
    String(value),
    String(error?.message),
    String(error?.stack),
    JSON.stringify(value),
    JSON.stringify(error?.cause ?? null),
    String(error?.cause),
  ].join('\n');
}

/** Asserts that none of the secrets appears in any rendering of `value`. */
export function expectNoSecret(value: unknown, secrets: readonly string[]): void {
  const text = renderings(value);
  for (const secret of secrets) {
    if (text.includes(secret)) throw new Error(`secret leaked in: ${text.slice(0, 400)}`);
  }
  if (/wbat-[A-Za-z0-9_-]{8,}/.test(text))
    throw new Error(`access token leaked in: ${text.slice(0, 400)}`);
  if (/eyJ[\w-]{5,}\.[\w-]+\.[\w-]*/.test(text))
    throw new Error(`JWT leaked in: ${text.slice(0, 400)}`);
}
