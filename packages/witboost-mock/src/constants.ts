/**
 * The documented Witboost JWT exchange endpoint.
 *
 * @example
 * ```ts
 * import { EXCHANGE_PATH } from '@wb/witboost-mock';
 * await fetch(new URL(EXCHANGE_PATH, wb.url), { method: 'POST', ... });
 * ```
 */
export const EXCHANGE_PATH = '/api/auth/access-tokens/jwt';

/**
 * The scope a JWT needs to call the Computational Governance API.
 *
 * @example
 * ```ts
 * import { CG_SCOPE } from '@wb/witboost-mock';
 * const body = { access_token: token, scope: CG_SCOPE };
 * ```
 */
export const CG_SCOPE = 'service:computational-governance';

/**
 * Where the emulator publishes its public signing key (also served at `/api/auth/jwks`).
 *
 * @example
 * ```ts
 * import { JWKS_PATH } from '@wb/witboost-mock';
 * import { createRemoteJWKSet } from 'jose';
 * const jwks = createRemoteJWKSet(new URL(JWKS_PATH, wb.url));
 * ```
 */
export const JWKS_PATH = '/.well-known/jwks.json';

export const CATALOG_PATH = '/api/catalog/entities';
export const GOVERNANCE_PATH = '/api/computational-governance/validate';
export const PACKAGE_NAME = '@wb/witboost-mock';
