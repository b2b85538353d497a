import {
  ConfigurableModuleBuilder,
  type ConfigurableModuleOptionsFactory,
  type LoggerService,
} from '@nestjs/common';
import type { WitboostAuthOptions, WitboostLogger } from '@wb/auth-core';
import { invalidModuleOptions, protectOptionsProvider } from './module-options.js';
import { WITBOOST_AUTH_MODULE_OPTIONS } from './witboost-auth.constants.js';

/**
 * Options of {@link WitboostAuthModule}: every `createWitboostAuth` option of `@wb/auth-core`
 * plus the Nest-specific `httpService` switch.
 *
 * @example
 * ```ts
 * import type { WitboostAuthModuleOptions } from '@wb/auth-nestjs';
 * const options: WitboostAuthModuleOptions = {
 *   baseUrl: 'https://witboost.example.com',
 *   accessToken: process.env.WITBOOST_ACCESS_TOKEN,
 *   httpService: true,
 * };
 * ```
 */
export interface WitboostAuthModuleOptions extends Omit<WitboostAuthOptions, 'logger'> {
  /**
   * Where the authenticator's events go (never a secret): a Nest `Logger` / `LoggerService`, a
   * pino-compatible logger, or `false` for none.
   * @default new Logger('WitboostAuth') from `@nestjs/common`, info and above
   */
  logger?: LoggerService | WitboostLogger | false;
  /**
   * Attach the Witboost interceptors to the `axiosRef` of every `@nestjs/axios` `HttpService` of
   * the application on module init. Requires `HttpModule.register(…)` somewhere in the
   * application. Plain `HttpModule` (no `register()`) uses axios's global default instance, which
   * every axios call in the process shares: `true` refuses it (init fails with `invalid_options`),
   * `{ allowGlobalAxios: true }` binds it anyway.
   * @default false
   */
  httpService?: boolean | { allowGlobalAxios?: boolean };
}

/**
 * Extra options of `forRoot`/`forRootAsync` that shape the module rather than the client.
 *
 * @example
 * ```ts
 * import { WitboostAuthModule } from '@wb/auth-nestjs';
 * WitboostAuthModule.forRoot({ isGlobal: true, baseUrl: 'https://witboost.example.com' });
 * ```
 */
export interface WitboostAuthModuleExtras {
  /**
   * Register the module globally, so feature modules can inject `WitboostAuthService` without
   * importing `WitboostAuthModule`.
   * @default false
   */
  isGlobal?: boolean;
}

/**
 * The generated base class of {@link WitboostAuthModule}, with `forRoot`/`forRootAsync`.
 *
 * @example
 * ```ts
 * import { Module } from '@nestjs/common';
 * import { ConfigurableWitboostAuthModule } from '@wb/auth-nestjs';
 * // Normally you import WitboostAuthModule, which extends this class.
 * @Module({})
 * export class MyWitboostModule extends ConfigurableWitboostAuthModule {}
 * ```
 */
export const {
  ConfigurableModuleClass: ConfigurableWitboostAuthModule,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<WitboostAuthModuleOptions>({
  moduleName: 'WitboostAuth',
  optionsInjectionToken: WITBOOST_AUTH_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setExtras<WitboostAuthModuleExtras>({ isGlobal: false }, (definition, extras) => {
    if (extras.isGlobal !== undefined && typeof extras.isGlobal !== 'boolean') {
      throw invalidModuleOptions('isGlobal must be a boolean');
    }
    return {
      ...definition,
      global: extras.isGlobal === true,
      providers: definition.providers?.map(protectOptionsProvider),
    };
  })
  .build();

/**
 * Argument type of `WitboostAuthModule.forRoot`.
 *
 * @example
 * ```ts
 * import type { WitboostAuthModuleForRootOptions } from '@wb/auth-nestjs';
 * const options: WitboostAuthModuleForRootOptions = { baseUrl: 'https://witboost.example.com', isGlobal: true };
 * ```
 */
export type WitboostAuthModuleForRootOptions = typeof OPTIONS_TYPE;

/**
 * Argument type of `WitboostAuthModule.forRootAsync` (`imports`, `useFactory` + `inject`,
 * `useClass` or `useExisting`, and `isGlobal`).
 *
 * @example
 * ```ts
 * import { ConfigModule, ConfigService } from '@nestjs/config';
 * import type { WitboostAuthModuleAsyncOptions } from '@wb/auth-nestjs';
 * const options: WitboostAuthModuleAsyncOptions = {
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ baseUrl: config.getOrThrow('WITBOOST_BASE_URL') }),
 * };
 * ```
 */
export type WitboostAuthModuleAsyncOptions = typeof ASYNC_OPTIONS_TYPE;

/**
 * What a `useClass`/`useExisting` provider of `forRootAsync` implements: `create()` returns the
 * module options.
 *
 * @example
 * ```ts
 * import { Injectable } from '@nestjs/common';
 * import type { WitboostAuthModuleOptions, WitboostAuthOptionsFactory } from '@wb/auth-nestjs';
 *
 * @Injectable()
 * export class WitboostConfig implements WitboostAuthOptionsFactory {
 *   create(): WitboostAuthModuleOptions {
 *     return { baseUrl: 'https://witboost.example.com' };
 *   }
 * }
 * ```
 */
export type WitboostAuthOptionsFactory = ConfigurableModuleOptionsFactory<
  WitboostAuthModuleOptions,
  'create'
>;
