import type { WitboostAuth, WitboostAuthOptions } from '@wb/auth-core';
import type { Context } from 'koa';

/**
 * On-behalf-of settings shared by both ways of configuring {@link witboostAuth}.
 *
 * @example
 * ```ts
 * import type { WitboostKoaIdentityOptions } from '@wb/auth-koa';
 * const onBehalfOf: WitboostKoaIdentityOptions = {
 *   identity: (ctx) => ctx.get('x-witboost-access-token') || undefined,
 *   maxIdentities: 500,
 *   identityIdleTimeoutMs: 5 * 60_000,
 * };
 * ```
 */
export interface WitboostKoaIdentityOptions {
  /**
   * Returns the access token (e.g. a PAT the caller sent in a header) to act on behalf of the
   * caller, or `undefined` to use the service identity. Called once per request; must not read
   * the body.
   * @default () => undefined (every request uses the service identity)
   */
  identity?: (ctx: Context) => string | undefined;
  /**
   * Most caller identities kept at once; the least recently used one is closed beyond it.
   * @default 1000
   */
  maxIdentities?: number;
  /**
   * A caller identity unused for this long is closed.
   * @default 600_000 (10 minutes)
   */
  identityIdleTimeoutMs?: number;
  /**
   * Longest caller access token accepted; longer ones are rejected before any exchange.
   * @default 4096
   */
  maxAccessTokenLength?: number;
}

/**
 * Options of {@link witboostAuth}: either an existing `WitboostAuth` (`{ auth }`, which the
 * middleware never closes) or the options of `createWitboostAuth` (the middleware creates the
 * instance and closes it in `close()`), plus the on-behalf-of settings.
 *
 * @example
 * ```ts
 * import type { WitboostKoaOptions } from '@wb/auth-koa';
 * const shared: WitboostKoaOptions = { auth }; // you close `auth`
 * const owned: WitboostKoaOptions = { baseUrl: 'https://witboost.example.com' }; // `close()` does
 * ```
 */
export type WitboostKoaOptions = (
  | { /** The service identity's authenticator. */ auth: WitboostAuth }
  | (WitboostAuthOptions & { auth?: never })
) &
  WitboostKoaIdentityOptions;
