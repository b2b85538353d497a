import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { createWitboostAuth, ownOptions, toWitboostLogger, type WitboostAuth } from '@wb/auth-core';
import { assertForRootArgument, assertForRootAsyncArgument } from './module-options.js';
import { createOptionalAxios, WITBOOST_AXIOS } from './optional-axios.js';
import { WITBOOST_AUTH, WITBOOST_AUTH_MODULE_OPTIONS } from './witboost-auth.constants.js';
import {
  ConfigurableWitboostAuthModule,
  type WitboostAuthModuleAsyncOptions,
  type WitboostAuthModuleForRootOptions,
  type WitboostAuthModuleOptions,
} from './witboost-auth.module-definition.js';
import { WitboostAuthService } from './witboost-auth.service.js';

function createAuthFromModuleOptions(options: WitboostAuthModuleOptions): WitboostAuth {
  const { httpService: _nestOnly, logger, ...coreOptions } = options;
  // Nest's logger unless told otherwise; only info and above, as nobody configured it for
  // per-request debug lines.
  const adapted =
    logger === false
      ? undefined
      : toWitboostLogger(logger ?? new Logger('WitboostAuth'), logger ? {} : { minLevel: 'info' });
  return createWitboostAuth({ ...coreOptions, logger: adapted });
}

/**
 * NestJS dynamic module for Witboost API authentication. Register it once with `forRoot` or
 * `forRootAsync`; it provides {@link WitboostAuthService} and the raw core instance
 * (`WITBOOST_AUTH`, `@InjectWitboostAuth()`). Options are validated eagerly by `@wb/auth-core`,
 * so a bad `baseUrl` fails the application bootstrap.
 *
 * @example
 * ```ts
 * import { type DynamicModule, Module } from '@nestjs/common';
 * import { ConfigModule, ConfigService } from '@nestjs/config';
 * import { WitboostAuthModule } from '@wb/auth-nestjs';
 *
 * @Module({
 *   imports: [
 *     ConfigModule.forRoot(),
 *     WitboostAuthModule.forRootAsync({
 *       isGlobal: true,
 *       imports: [ConfigModule],
 *       inject: [ConfigService],
 *       useFactory: (config: ConfigService) => ({
 *         baseUrl: config.getOrThrow<string>('WITBOOST_BASE_URL'),
 *         accessToken: config.getOrThrow<string>('WITBOOST_ACCESS_TOKEN'),
 *       }),
 *     }),
 *   ],
 * })
 * export class AppModule {}
 * ```
 */
@Module({
  providers: [
    {
      provide: WITBOOST_AUTH,
      useFactory: createAuthFromModuleOptions,
      inject: [WITBOOST_AUTH_MODULE_OPTIONS],
    },
    { provide: WITBOOST_AXIOS, useFactory: createOptionalAxios, inject: [WITBOOST_AUTH] },
    WitboostAuthService,
  ],
  exports: [WITBOOST_AUTH, WITBOOST_AUTH_MODULE_OPTIONS, WitboostAuthService],
})
export class WitboostAuthModule extends ConfigurableWitboostAuthModule {
  /**
   * Registers the module with options known up front.
   * @param options - the module options, plus `isGlobal`
   * @returns the dynamic module
   * @throws `WitboostAuthError` (`invalid_options`) for a non-object or a bad `httpService`/`isGlobal`
   */
  static override forRoot(options: WitboostAuthModuleForRootOptions): DynamicModule {
    assertForRootArgument(options);
    // biome-ignore lint/complexity/noThisInStatic: the builder's forRoot registers `this` as the module, which must stay WitboostAuthModule (its providers), not the base class
    return super.forRoot(ownOptions(options));
  }

  /**
   * Registers the module with options from a factory, class or existing provider.
   * @param options - `useFactory` (+ `inject`, `imports`), `useClass` or `useExisting`, plus `isGlobal`
   * @returns the dynamic module
   * @throws `WitboostAuthError` (`invalid_options`) for a malformed argument; bad options
   * returned by the factory fail the bootstrap with the same error
   */
  static override forRootAsync(options: WitboostAuthModuleAsyncOptions): DynamicModule {
    assertForRootAsyncArgument(options);
    // biome-ignore lint/complexity/noThisInStatic: the builder's forRootAsync registers `this` as the module, which must stay WitboostAuthModule (its providers), not the base class
    return super.forRootAsync(ownOptions(options));
  }
}
