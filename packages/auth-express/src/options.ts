import type { CallerIdentityOptions, RequestIdentitiesOptions } from '@wb/auth-core';
import type { Request } from 'express';

/**
 * On-behalf-of settings shared by both ways of configuring {@link witboostAuth}.
 *
 * @example
 * ```ts
 * import type { WitboostExpressIdentityOptions } from '@wb/auth-express';
 * const onBehalfOf: WitboostExpressIdentityOptions = {
 *   identity: (req) => req.get('x-witboost-access-token') || undefined,
 *   maxIdentities: 500,
 *   identityIdleTimeoutMs: 5 * 60_000,
 * };
 * ```
 */
export interface WitboostExpressIdentityOptions extends CallerIdentityOptions<Request> {}

/**
 * Options of {@link witboostAuth}: either an existing `WitboostAuth` (`{ auth }`, which the
 * middleware never closes) or the options of `createWitboostAuth` (the middleware creates the
 * instance and closes it in `close()`), plus the on-behalf-of settings.
 *
 * @example
 * ```ts
 * import type { WitboostExpressOptions } from '@wb/auth-express';
 * const shared: WitboostExpressOptions = { auth }; // you close `auth`
 * const owned: WitboostExpressOptions = { baseUrl: 'https://witboost.example.com' }; // `close()` does
 * ```
 */
export type WitboostExpressOptions = RequestIdentitiesOptions<Request>;
