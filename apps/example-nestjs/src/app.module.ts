import { HttpModule } from '@nestjs/axios';
import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import type { WitboostAuthEvent } from '@wb/auth-core';
import { WitboostAuthExceptionFilter, WitboostAuthModule } from '@wb/auth-nestjs';
import { WitboostController } from './witboost.controller.js';

/**
 * The configuration keys this service reads through `ConfigService`.
 *
 * @example
 * ```ts
 * import type { WitboostEnv } from './app.module.js';
 * const env: WitboostEnv = process.env;
 * ```
 */
export interface WitboostEnv {
  WITBOOST_BASE_URL?: string | undefined;
  WITBOOST_ACCESS_TOKEN?: string | undefined;
}

/**
 * Options of {@link AppModule.register}.
 *
 * @example
 * ```ts
 * import type { AppModuleOptions } from './app.module.js';
 * const options: AppModuleOptions = { env: process.env, onEvent: (e) => console.log(e.type) };
 * ```
 */
export interface AppModuleOptions {
  /** Where ConfigService reads `WITBOOST_*` from (`process.env` in production). */
  env: WitboostEnv;
  /** Observes token exchanges (the example counts them). */
  onEvent?: (event: WitboostAuthEvent) => void;
}

/**
 * The example application: configuration, Witboost authentication, HTTP client, routes.
 *
 * @example
 * ```ts
 * import { NestFactory } from '@nestjs/core';
 * import { AppModule } from './app.module.js';
 * const app = await NestFactory.create(AppModule.register({ env: process.env }));
 * await app.listen(3000, '127.0.0.1');
 * ```
 */
@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: the Nest idiom for a dynamic module
export class AppModule {
  /**
   * @param options - configuration source and event hook
   * @returns the root module
   */
  static register({ env, onEvent }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // The values are handed in, not read from process.env, so the embedded emulator and
        // tests can configure the app without touching the process environment.
        ConfigModule.forRoot({ ignoreEnvFile: true, skipProcessEnv: true, load: [() => env] }),
        // register(): its own axios instance; plain HttpModule would be axios's global one.
        HttpModule.register({}),
        WitboostAuthModule.forRootAsync({
          isGlobal: true,
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService) => ({
            baseUrl: config.getOrThrow<string>('WITBOOST_BASE_URL'),
            accessToken: config.getOrThrow<string>('WITBOOST_ACCESS_TOKEN'),
            httpService: true,
            ...(onEvent ? { onEvent } : {}),
          }),
        }),
      ],
      controllers: [WitboostController],
      providers: [{ provide: APP_FILTER, useClass: WitboostAuthExceptionFilter }],
    };
  }
}
