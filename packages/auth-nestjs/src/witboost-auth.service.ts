import { inspect } from 'node:util';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { AuthMode, GetTokenOptions, Principal, WitboostAuth } from '@wb/auth-core';
import type { AxiosInstance } from 'axios';
import { bindHttpService, type HttpServiceBinding } from './http-service-binding.js';
import { invalidModuleOptions } from './module-options.js';
import { WITBOOST_AXIOS } from './optional-axios.js';
import { WITBOOST_AUTH, WITBOOST_AUTH_MODULE_OPTIONS } from './witboost-auth.constants.js';
import type { WitboostAuthModuleOptions } from './witboost-auth.module-definition.js';

/**
 * What `JSON.stringify` and `util.inspect` show of a {@link WitboostAuthService}: its settings,
 * never a credential.
 *
 * @example
 * ```ts
 * import type { WitboostAuthServiceSummary } from '@wb/auth-nestjs';
 * const summary: WitboostAuthServiceSummary = service.toJSON();
 * ```
 */
export interface WitboostAuthServiceSummary {
  readonly baseUrl: string;
  readonly mode: AuthMode;
  readonly principal: Principal;
  readonly httpService: boolean;
}

/**
 * The injectable face of `@wb/auth-core` in a Nest application: credentials for outbound calls
 * to Witboost, an authenticated `fetch` and an authenticated axios instance. Provided by
 * {@link WitboostAuthModule}; closes the underlying `WitboostAuth` on application shutdown.
 *
 * @example
 * ```ts
 * import { Controller, Get } from '@nestjs/common';
 * import { WitboostAuthService } from '@wb/auth-nestjs';
 *
 * @Controller('data-products')
 * export class DataProductsController {
 *   constructor(private readonly witboost: WitboostAuthService) {}
 *
 *   @Get()
 *   async list() {
 *     const { data } = await this.witboost.axios.get('/api/catalog/entities', {
 *       params: { kind: 'DataProduct' },
 *     });
 *     return data;
 *   }
 * }
 * ```
 */
@Injectable()
export class WitboostAuthService implements OnModuleInit, OnApplicationShutdown {
  // Private fields rather than properties: util.inspect (even with showHidden) never shows them,
  // and the ModuleRef reaches every provider, the user's options and access token included.
  readonly #httpService: HttpServiceBinding | undefined;
  readonly #moduleRef: ModuleRef;
  readonly #axios: AxiosInstance | null;
  #detachHttpService: (() => void) | undefined;

  constructor(
    /** The core authenticator the module created (also injectable with `@InjectWitboostAuth()`). */
    @Inject(WITBOOST_AUTH) readonly auth: WitboostAuth,
    @Inject(WITBOOST_AUTH_MODULE_OPTIONS) options: WitboostAuthModuleOptions,
    @Inject(ModuleRef) moduleRef: ModuleRef,
    @Inject(WITBOOST_AXIOS) axios: AxiosInstance | null,
  ) {
    this.#axios = axios;
    const { httpService } = options;
    this.#httpService =
      httpService === true || typeof httpService === 'object'
        ? { allowGlobalAxios: httpService !== true && httpService.allowGlobalAxios === true }
        : undefined;
    this.#moduleRef = moduleRef;
  }

  /**
   * An axios instance with `baseURL` = the Witboost base URL and the Witboost interceptors.
   * Needs the optional peers `axios` and `@wb/auth-axios`; without them use {@link fetch}.
   * @throws WitboostAuthError `invalid_options` when they are not installed
   */
  get axios(): AxiosInstance {
    if (this.#axios === null) {
      throw invalidModuleOptions(
        'WitboostAuthService.axios needs the optional peers axios and @wb/auth-axios (npm install axios @wb/auth-axios); use fetch() without them',
      );
    }
    return this.#axios;
  }

  /**
   * The service's settings for logs and diagnostics, free of secrets; `util.inspect` shows the
   * same, so logging the service (or an object holding it) prints no token.
   * @returns base URL, mode, principal and whether `HttpService` is bound
   */
  toJSON(): WitboostAuthServiceSummary {
    return {
      baseUrl: this.auth.baseUrl,
      mode: this.auth.mode,
      principal: this.auth.principal,
      httpService: this.#httpService !== undefined,
    };
  }

  /** @internal `util.inspect`/`console.log` view: the {@link toJSON} summary only. */
  [inspect.custom](): WitboostAuthServiceSummary {
    return this.toJSON();
  }

  /**
   * The `Authorization` header value for a request to `url`.
   * @param url - absolute, or relative to the Witboost base URL
   * @returns `'Bearer …'` / `'Basic …'`, or `undefined` when `url` is not a Witboost origin
   */
  authorizationFor(url: string | URL): Promise<string | undefined> {
    return this.auth.authorizationFor(url);
  }

  /**
   * A JWT for direct use (bearer mode), fresh and cached.
   * @param options - `scope` (e.g. `service:computational-governance`) and an abort `signal`
   * @returns the compact JWT
   */
  getToken(options?: GetTokenOptions): Promise<string> {
    return this.auth.getToken(options);
  }

  /**
   * `fetch` with Witboost credentials on Witboost origins and one replay after a 401.
   * @param input - URL (relative to the base URL allowed) or `Request`
   * @param init - standard `RequestInit`
   * @returns the response
   */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    return this.auth.fetch(input, init);
  }

  /** @internal Attaches to `HttpService` when `httpService: true`. */
  async onModuleInit(): Promise<void> {
    if (this.#httpService !== undefined && this.#detachHttpService === undefined) {
      this.#detachHttpService = await bindHttpService(
        this.#moduleRef,
        this.auth,
        this.#httpService,
      );
    }
  }

  /**
   * @internal Closing here rather than in `onModuleDestroy` lets requests still in flight while
   * the HTTP server drains get credentials; `app.close()` calls this hook after the server stops.
   */
  async onApplicationShutdown(): Promise<void> {
    this.#detachHttpService?.();
    this.#detachHttpService = undefined;
    await this.auth.close();
  }
}
