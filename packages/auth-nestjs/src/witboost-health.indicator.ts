import { Injectable } from '@nestjs/common';
import type { WitboostAuth, WitboostScopeState } from '@wb/auth-core';
import { InjectWitboostAuth } from './witboost-auth.decorators.js';

/**
 * What {@link WitboostHealthIndicator.isHealthy} returns: a Terminus `HealthIndicatorResult`
 * (`{ [key]: { status: 'up' | 'down', … } }`), written out so this package's types need no
 * `@nestjs/terminus`.
 *
 * @example
 * ```ts
 * import type { WitboostHealthResult } from '@wb/auth-nestjs';
 * const result: WitboostHealthResult = { witboost: { status: 'up', scopes: [] } };
 * ```
 */
export type WitboostHealthResult<Key extends string = 'witboost'> = Record<
  Key,
  {
    status: 'up' | 'down';
    /** Each scope in use; `scope: null` is the default JWT. No secret, subject or time. */
    scopes: Array<{ scope: string | null; state: WitboostScopeState; lastError?: string }>;
    closed?: true;
  }
>;

/**
 * A health indicator for `@nestjs/terminus` (11 or 12, i.e. NestJS 10 to 12), built on
 * `auth.status()`: up while every scope in use has a servable token or can get one (its last
 * exchange did not fail); down when the instance is closed, or when a scope has no servable
 * token and its last exchange failed. It only reads the snapshot: a probe every second costs
 * nothing and never triggers an exchange. Add it to your module's `providers` next to
 * `TerminusModule`; it needs `WitboostAuthModule` registered (globally or imported).
 *
 * @example
 * ```ts
 * import { Controller, Get } from '@nestjs/common';
 * import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
 * import { WitboostHealthIndicator } from '@wb/auth-nestjs';
 *
 * @Controller('health')
 * export class HealthController {
 *   constructor(
 *     private readonly health: HealthCheckService,
 *     private readonly witboost: WitboostHealthIndicator,
 *   ) {}
 *
 *   @Get('ready')
 *   @HealthCheck()
 *   ready() {
 *     return this.health.check([() => this.witboost.isHealthy()]);
 *   }
 * }
 * ```
 */
@Injectable()
export class WitboostHealthIndicator {
  readonly #auth: WitboostAuth;

  constructor(@InjectWitboostAuth() auth: WitboostAuth) {
    this.#auth = auth;
  }

  /**
   * The health of the Witboost credentials, for `HealthCheckService.check([...])`.
   *
   * @param key - the key of the result in the health report
   * @default 'witboost'
   * @returns `{ [key]: { status: 'up' | 'down', scopes } }`; Terminus answers 503 for `down`
   */
  isHealthy<const Key extends string = 'witboost'>(
    key: Key = 'witboost' as Key,
  ): WitboostHealthResult<Key> {
    const status = this.#auth.status();
    const now = Date.now();
    const up =
      !status.closed &&
      status.scopes.every((s) => (s.expiresAt ?? 0) > now || s.consecutiveFailures === 0);
    const scopes = status.scopes.map(({ scope, state, lastError }) => ({
      scope: scope ?? null,
      state,
      ...(lastError === undefined ? {} : { lastError: lastError.code }),
    }));
    const detail = {
      status: up ? 'up' : 'down',
      scopes,
      ...(status.closed ? { closed: true } : {}),
    };
    return { [key]: detail } as WitboostHealthResult<Key>;
  }
}
