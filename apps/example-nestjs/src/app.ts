import { HttpModule, HttpService } from '@nestjs/axios';
import {
  Body,
  Controller,
  type DynamicModule,
  Get,
  HttpCode,
  type INestApplication,
  Inject,
  Module,
  Post,
} from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import type { WitboostAuthOptions } from '@wb/auth-core';
import {
  WitboostAuthExceptionFilter,
  WitboostAuthModule,
  WitboostAuthService,
} from '@wb/auth-nestjs';
import { firstValueFrom } from 'rxjs';

/** A data product as this service returns it. */
export interface DataProductSummary {
  name: string;
  title: string;
  owner: string | null;
}

/** Body of `POST /policies/validate`, passed on to Computational Governance. */
export interface ValidateRequest {
  policy: string;
  resource: Record<string, unknown>;
}

interface CatalogEntity {
  metadata: { name: string; title?: string };
  spec?: { owner?: unknown };
}

/**
 * Two routes backed by Witboost. The catalog call uses the module's own axios instance; the
 * governance call goes through `@nestjs/axios`'s `HttpService`, authenticated because the module
 * is registered with `httpService: true` (the CG scope is picked from the URL).
 */
@Controller()
export class WitboostController {
  // Explicit tokens: injection works even where the toolchain emits no decorator metadata.
  constructor(
    @Inject(WitboostAuthService) private readonly witboost: WitboostAuthService,
    @Inject(HttpService) private readonly http: HttpService,
  ) {}

  @Get('data-products')
  async dataProducts(): Promise<DataProductSummary[]> {
    const { data } = await this.witboost.axios.get<CatalogEntity[]>('/api/catalog/entities', {
      params: { kind: 'DataProduct' },
    });
    return data.map(({ metadata, spec }) => ({
      name: metadata.name,
      title: metadata.title ?? metadata.name,
      owner: typeof spec?.owner === 'string' ? spec.owner : null,
    }));
  }

  @Post('policies/validate')
  @HttpCode(200)
  async validate(@Body() body: ValidateRequest): Promise<unknown> {
    const url = `${this.witboost.auth.baseUrl}/api/computational-governance/validate`;
    const { data } = await firstValueFrom(this.http.post<unknown>(url, body));
    return data;
  }
}

/** Options of {@link AppModule.register}. */
export interface AppModuleOptions {
  /** Where `ConfigService` reads `WITBOOST_BASE_URL` and `WITBOOST_ACCESS_TOKEN` (`process.env`). */
  env: Record<string, string | undefined>;
  /** More `createWitboostAuth` options, e.g. `onEvent` to observe exchanges. */
  witboost?: Omit<Partial<WitboostAuthOptions>, 'baseUrl' | 'accessToken'>;
}

/**
 * The example application: configuration, Witboost authentication, an HTTP client, the routes
 * and the filter that turns Witboost errors into secret-free `{ error: { code, message } }`.
 *
 * @example
 * ```ts
 * import { NestFactory } from '@nestjs/core';
 * import { AppModule } from './app.js';
 * const app = await NestFactory.create(AppModule.register({ env: process.env }));
 * await app.listen(3000, '127.0.0.1');
 * ```
 */
@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: the Nest idiom for a dynamic module
export class AppModule {
  /**
   * @param options - configuration source and extra core options
   * @returns the root module
   */
  static register({ env, witboost = {} }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // Values handed in rather than read from process.env, so main.ts can point the app at
        // the embedded emulator and tests need not touch the process environment.
        ConfigModule.forRoot({ ignoreEnvFile: true, skipProcessEnv: true, load: [() => env] }),
        // register(): an axios instance of its own; plain HttpModule would be axios's global one.
        HttpModule.register({}),
        WitboostAuthModule.forRootAsync({
          isGlobal: true,
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService) => ({
            ...witboost,
            baseUrl: config.getOrThrow<string>('WITBOOST_BASE_URL'),
            accessToken: config.getOrThrow<string>('WITBOOST_ACCESS_TOKEN'),
            httpService: true,
          }),
        }),
      ],
      controllers: [WitboostController],
      providers: [{ provide: APP_FILTER, useClass: WitboostAuthExceptionFilter }],
    };
  }
}

/**
 * The application, created but not listening: what `main.ts`, the tests and the demo start.
 *
 * @param options - configuration source and extra core options
 * @returns the Nest application; `app.close()` also closes its Witboost client
 * @example
 * ```ts
 * import { createApp } from './app.js';
 * const app = await createApp({ env: process.env });
 * await app.listen(3000, '127.0.0.1');
 * ```
 */
export function createApp(options: AppModuleOptions): Promise<INestApplication> {
  return NestFactory.create(AppModule.register(options), { logger: ['error', 'warn'] });
}
