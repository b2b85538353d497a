import { Inject } from '@nestjs/common';
import { WITBOOST_AUTH, WITBOOST_AUTH_MODULE_OPTIONS } from './witboost-auth.constants.js';

/**
 * Parameter decorator injecting the raw `WitboostAuth` instance of `@wb/auth-core`.
 *
 * @returns a parameter/property decorator (`@Inject(WITBOOST_AUTH)`)
 * @example
 * ```ts
 * import { Injectable } from '@nestjs/common';
 * import type { WitboostAuth } from '@wb/auth-core';
 * import { InjectWitboostAuth } from '@wb/auth-nestjs';
 *
 * @Injectable()
 * export class GovernanceClient {
 *   constructor(@InjectWitboostAuth() private readonly auth: WitboostAuth) {}
 *   validate(body: unknown) {
 *     return this.auth.fetch('/api/computational-governance/validate', {
 *       method: 'POST',
 *       headers: { 'content-type': 'application/json' },
 *       body: JSON.stringify(body),
 *     });
 *   }
 * }
 * ```
 */
export const InjectWitboostAuth = (): PropertyDecorator & ParameterDecorator =>
  Inject(WITBOOST_AUTH);

/**
 * Parameter decorator injecting the module options (`WITBOOST_AUTH_MODULE_OPTIONS`).
 *
 * @returns a parameter/property decorator
 * @example
 * ```ts
 * import { Injectable } from '@nestjs/common';
 * import { InjectWitboostAuthOptions, type WitboostAuthModuleOptions } from '@wb/auth-nestjs';
 *
 * @Injectable()
 * export class Diagnostics {
 *   constructor(@InjectWitboostAuthOptions() private readonly options: WitboostAuthModuleOptions) {}
 * }
 * ```
 */
export const InjectWitboostAuthOptions = (): PropertyDecorator & ParameterDecorator =>
  Inject(WITBOOST_AUTH_MODULE_OPTIONS);
