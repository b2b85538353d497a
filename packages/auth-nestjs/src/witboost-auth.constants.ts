/**
 * Injection token of the raw `WitboostAuth` instance from `@wb/auth-core` that the module
 * creates. Prefer {@link InjectWitboostAuth} in constructors.
 *
 * @example
 * ```ts
 * import { Inject, Injectable } from '@nestjs/common';
 * import type { WitboostAuth } from '@wb/auth-core';
 * import { WITBOOST_AUTH } from '@wb/auth-nestjs';
 *
 * @Injectable()
 * export class CatalogClient {
 *   constructor(@Inject(WITBOOST_AUTH) private readonly auth: WitboostAuth) {}
 * }
 * ```
 */
export const WITBOOST_AUTH = 'WITBOOST_AUTH';

/**
 * Injection token of the options the module was configured with (`forRoot` value or the
 * `forRootAsync` factory's result, without the `isGlobal` extra).
 *
 * @example
 * ```ts
 * import { Inject, Injectable } from '@nestjs/common';
 * import { WITBOOST_AUTH_MODULE_OPTIONS, type WitboostAuthModuleOptions } from '@wb/auth-nestjs';
 *
 * @Injectable()
 * export class Diagnostics {
 *   constructor(@Inject(WITBOOST_AUTH_MODULE_OPTIONS) private readonly options: WitboostAuthModuleOptions) {}
 * }
 * ```
 */
export const WITBOOST_AUTH_MODULE_OPTIONS = 'WITBOOST_AUTH_MODULE_OPTIONS';
