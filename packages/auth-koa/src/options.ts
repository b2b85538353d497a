import type { CallerIdentityOptions, RequestIdentitiesOptions } from '@wb/auth-core';
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
export interface WitboostKoaIdentityOptions extends CallerIdentityOptions<Context> {}

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
export type WitboostKoaOptions = RequestIdentitiesOptions<Context>;
