import { randomUUID } from 'node:crypto';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';

export interface JwtClaims {
  sub: string;
  iat: number;
  exp: number;
  iss: string;
  scope?: string;
}

export type JwtVerification =
  | { ok: true; payload: JWTPayload }
  | { ok: false; reason: 'expired' | 'invalid' };

export interface JwtIssuer {
  readonly jwks: JSONWebKeySet;
  sign(claims: JwtClaims): Promise<string>;
  verify(jwt: string, issuer: string, nowMs: number): Promise<JwtVerification>;
}

/** Signs and verifies the emulator's JWTs with an ES256 key pair generated at start. */
export async function createJwtIssuer(): Promise<JwtIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const jwks: JSONWebKeySet = { keys: [{ ...publicJwk, kid, alg: 'ES256', use: 'sig' }] };

  return {
    jwks,
    sign(claims) {
      return new SignJWT({ ...claims, jti: randomUUID() })
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid })
        .sign(privateKey);
    },
    async verify(jwt, issuer, nowMs) {
      try {
        const { payload } = await jwtVerify(jwt, publicKey, {
          algorithms: ['ES256'],
          issuer,
          currentDate: new Date(nowMs),
          requiredClaims: ['sub', 'exp', 'iat'],
        });
        return { ok: true, payload };
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        return { ok: false, reason: code === 'ERR_JWT_EXPIRED' ? 'expired' : 'invalid' };
      }
    },
  };
}
