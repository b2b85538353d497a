import { randomBytes } from 'node:crypto';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A `fetch` answering every JWT exchange at once with a fresh, distinct JWT shaped like a real
 * RS256 one (a 256-byte signature): the exchange-heavy metrics measure our retention, not a
 * socket's. `count()` says how many exchanges it answered.
 */
export function jwtFetch(lifetimeSeconds = 300): { fetch: typeof fetch; count: () => number } {
  let count = 0;
  const header = b64url({ alg: 'RS256', typ: 'JWT', kid: 'bench-key-1' });
  const answer = async (_input: unknown, init?: RequestInit): Promise<Response> => {
    count++;
    const body = JSON.parse(String(init?.body)) as { scope?: string };
    const iat = Math.floor(Date.now() / 1000);
    const claims = {
      sub: 'service-account:bench',
      iss: 'witboost',
      scope: body.scope,
      iat,
      exp: iat + lifetimeSeconds,
      jti: randomBytes(8).toString('hex'),
    };
    const jwt = `${header}.${b64url(claims)}.${randomBytes(256).toString('base64url')}`;
    return new Response(JSON.stringify({ jwt }), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { fetch: answer as typeof fetch, count: () => count };
}
