import { CG_SCOPE, JWKS_PATH, startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { basic, cgJwt, claims, errorMessage, exchange, getCatalog, validate } from './helpers.js';

let wb: WitboostMock;
beforeEach(async () => {
  wb = await startWitboostMock({ port: 0 });
});
afterEach(async () => {
  vi.useRealTimers();
  await wb.close();
});

interface Entity {
  kind: string;
  metadata: { name: string };
  spec: { domain?: string };
}

describe('GET /api/catalog/entities', () => {
  test('answers a realistic catalog to any valid JWT', async () => {
    const jwt = await exchange(wb, wb.issueAccessToken());
    const res = await getCatalog(wb, `Bearer ${jwt}`);
    expect(res.status).toBe(200);
    const entities = (await res.json()) as Entity[];
    expect(new Set(entities.map((e) => e.kind))).toEqual(
      new Set(['Domain', 'DataProduct', 'System', 'Component']),
    );
    expect(entities.every((e) => typeof e.metadata.name === 'string')).toBe(true);
  });

  test('filters by kind, case-insensitively', async () => {
    const jwt = await exchange(wb, wb.issueAccessToken());
    const res = await getCatalog(wb, `Bearer ${jwt}`, '?kind=dataproduct');
    const entities = (await res.json()) as Entity[];
    expect(entities.length).toBeGreaterThanOrEqual(2);
    expect(entities.every((e) => e.kind === 'DataProduct' && e.spec.domain)).toBe(true);
  });

  test('a JWT scoped to CG works here too', async () => {
    expect((await getCatalog(wb, `Bearer ${await cgJwt(wb)}`)).status).toBe(200);
  });

  test.each([
    ['no Authorization header', undefined, 'Missing Authorization header'],
    ['an empty Bearer', 'Bearer ', 'Bearer token is empty'],
    ['garbage', 'Bearer not-a-jwt', 'JWT is invalid'],
    ['an unknown scheme', 'Token abc', 'Unsupported authorization scheme'],
  ])('401 with a Bearer challenge for %s', async (_name, header, message) => {
    const res = await getCatalog(wb, header);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await errorMessage(res)).toBe(message);
  });

  test('401 for a JWT signed by another emulator (signature really verified)', async () => {
    const other = await startWitboostMock({ port: 0, issuer: wb.url });
    try {
      const foreign = await exchange(other, other.issueAccessToken());
      expect(claims(foreign).iss).toBe(wb.url);
      const res = await getCatalog(wb, `Bearer ${foreign}`);
      expect(res.status).toBe(401);
      expect(await errorMessage(res, foreign)).toBe('JWT is invalid');
    } finally {
      await other.close();
    }
  });

  test('401 for a tampered payload', async () => {
    const [header, , signature] = (await exchange(wb, wb.issueAccessToken())).split('.');
    const payload = Buffer.from(
      JSON.stringify({ sub: 'admin', iat: 1, exp: 9_999_999_999, iss: wb.url }),
    ).toString('base64url');
    const res = await getCatalog(wb, `Bearer ${header}.${payload}.${signature}`);
    expect(res.status).toBe(401);
  });

  test('401 for an unsigned (alg none) token', async () => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const none = `${part({ alg: 'none' })}.${part({ sub: 'x', iat: 1, exp: 9_999_999_999, iss: wb.url })}.`;
    expect((await getCatalog(wb, `Bearer ${none}`)).status).toBe(401);
  });

  test('401 once the JWT has expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const jwt = await exchange(wb, wb.issueAccessToken(), { duration_seconds: 60 });
    vi.setSystemTime(Date.now() + 59_000);
    expect((await getCatalog(wb, `Bearer ${jwt}`)).status).toBe(200);
    vi.setSystemTime(Date.now() + 1_000);
    const res = await getCatalog(wb, `Bearer ${jwt}`);
    expect(res.status).toBe(401);
    expect(await errorMessage(res, jwt)).toBe('JWT has expired');
  });

  test('other methods get 405', async () => {
    const res = await fetch(`${wb.url}/api/catalog/entities`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
  });

  test('unknown paths get a JSON 404', async () => {
    const res = await fetch(`${wb.url}/api/nothing-here`);
    expect(res.status).toBe(404);
    expect(await errorMessage(res)).toBe('Not found');
  });
});

describe('POST /api/computational-governance/validate', () => {
  const resource = { metadata: { name: 'invoices' }, spec: { owner: 'group:finance' } };

  test('403 for a JWT without the CG scope, with a clear message', async () => {
    const jwt = await exchange(wb, wb.issueAccessToken(), { scope: 'something:else' });
    const res = await validate(wb, `Bearer ${jwt}`, { policy: 'require-owner', resource });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('insufficient_scope');
    expect(await errorMessage(res, jwt)).toContain(CG_SCOPE);
  });

  test('200 with the CG scope, deterministic result', async () => {
    const authorization = `Bearer ${await cgJwt(wb)}`;
    const ok = await validate(wb, authorization, { policy: 'require-owner', resource });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ policy: 'require-owner', satisfiesPolicy: true, errors: [] });
    const ko = await validate(wb, authorization, { policy: 'require-domain', resource });
    expect(await ko.json()).toEqual({
      policy: 'require-domain',
      satisfiesPolicy: false,
      errors: ['resource has no domain (policy require-domain)'],
    });
  });

  test('an unknown policy id checks nothing and passes', async () => {
    const res = await validate(wb, `Bearer ${await cgJwt(wb)}`, { policy: '...' });
    expect(await res.json()).toEqual({ policy: '...', satisfiesPolicy: true, errors: [] });
  });

  test.each([
    ['no policy', { resource: {} }, 'policy must be a non-empty string'],
    ['a non-object resource', { policy: 'require-owner', resource: [1] }, 'resource must be'],
    ['malformed JSON', '{"policy"', 'Request body is not valid JSON'],
  ])('400 for %s', async (_name, body, message) => {
    const res = await validate(wb, `Bearer ${await cgJwt(wb)}`, body);
    expect(res.status).toBe(400);
    expect(await errorMessage(res)).toContain(message);
  });

  test('401 before anything else without credentials', async () => {
    const res = await validate(wb, undefined, { policy: 'require-owner' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });
});

describe('Basic authentication', () => {
  test('is off by default: 401 even with a valid access token', async () => {
    const accessToken = wb.issueAccessToken();
    const res = await getCatalog(wb, basic('witboost', accessToken));
    expect(res.status).toBe(401);
    expect(await errorMessage(res, accessToken)).toBe(
      'Basic authentication is disabled on this installation',
    );
  });

  describe('when enabled', () => {
    let on: WitboostMock;
    beforeEach(async () => {
      on = await startWitboostMock({ port: 0, basicAuth: true });
    });
    afterEach(() => on.close());

    test('accepts witboost:<access token> on the catalog and CG (no scope needed)', async () => {
      const authorization = basic('witboost', on.issueAccessToken({ subject: 'sa:basic' }));
      expect((await getCatalog(on, authorization)).status).toBe(200);
      const res = await validate(on, authorization, { policy: 'require-owner', resource: {} });
      expect(res.status).toBe(200);
      expect(on.lastRequests.at(-1)).toMatchObject({ authScheme: 'Basic', subject: 'sa:basic' });
    });

    test('any other username is 401', async () => {
      const accessToken = on.issueAccessToken();
      for (const user of ['Witboost', 'admin', '']) {
        const res = await getCatalog(on, basic(user, accessToken));
        expect(res.status).toBe(401);
        expect(await errorMessage(res, accessToken)).toMatch(/username|Malformed/);
      }
    });

    test('revoked, expired and unknown tokens are 401', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const revoked = on.issueAccessToken();
      on.revoke(revoked);
      const expiring = on.issueAccessToken({ expiresInSeconds: 10 });
      vi.setSystemTime(Date.now() + 10_000);
      for (const [token, reason] of [
        [revoked, 'revoked'],
        [expiring, 'expired'],
        ['wbat-neverissuedneverissuedneverissued', 'unknown'],
      ] as const) {
        const res = await getCatalog(on, basic('witboost', token));
        expect(res.status).toBe(401);
        expect(await errorMessage(res, token)).toBe(`Access token is ${reason}`);
      }
    });

    test('malformed Basic credentials are 401', async () => {
      expect((await getCatalog(on, 'Basic %%%')).status).toBe(401);
      const noColon = `Basic ${Buffer.from('witboost').toString('base64')}`;
      expect((await getCatalog(on, noColon)).status).toBe(401);
    });

    test('Bearer still works', async () => {
      const jwt = await exchange(on, on.issueAccessToken());
      expect((await getCatalog(on, `Bearer ${jwt}`)).status).toBe(200);
    });
  });
});

describe('JWKS', () => {
  test('verifies the issued JWTs with jose, from both paths', async () => {
    const jwt = await exchange(wb, wb.issueAccessToken({ subject: 'sa:jwks' }), {
      scope: CG_SCOPE,
    });
    const remote = createRemoteJWKSet(new URL(JWKS_PATH, wb.url));
    const { payload, protectedHeader } = await jwtVerify(jwt, remote, { issuer: wb.url });
    expect(payload).toMatchObject({ sub: 'sa:jwks', scope: CG_SCOPE });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'JWT' });
    expect(protectedHeader.kid).toBe(wb.jwks.keys[0]?.kid);

    const res = await fetch(`${wb.url}/api/auth/jwks`);
    expect(await res.json()).toEqual(wb.jwks);
    await expect(jwtVerify(jwt, createLocalJWKSet(wb.jwks))).resolves.toBeDefined();
  });

  test('exposes only the public key', () => {
    const [key] = wb.jwks.keys;
    expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(key).not.toHaveProperty('d');
  });
});
