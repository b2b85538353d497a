import { inspect } from 'node:util';
import type { Provider } from '@nestjs/common';
import { type AccessTokenSource, ownOptions, redactToken, WitboostAuthError } from '@wb/auth-core';
import { WITBOOST_AUTH_MODULE_OPTIONS } from './witboost-auth.constants.js';
import type { WitboostAuthModuleOptions } from './witboost-auth.module-definition.js';

const ASYNC_STRATEGIES = ['useFactory', 'useClass', 'useExisting'] as const;

/** A `WitboostAuthError` with code `invalid_options` naming this package. */
export function invalidModuleOptions(message: string): WitboostAuthError {
  return new WitboostAuthError('invalid_options', `@wb/auth-nestjs: ${message}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Rejects what `ConfigurableModuleBuilder` would otherwise fail on with a bare `TypeError`. */
export function assertForRootArgument(options: unknown): void {
  if (!isPlainObject(options)) {
    throw invalidModuleOptions('forRoot(options) needs an options object, e.g. { baseUrl }');
  }
}

/** @see assertForRootArgument */
export function assertForRootAsyncArgument(argument: unknown): void {
  const options = ownOptions(argument);
  if (!isPlainObject(options)) {
    throw invalidModuleOptions('forRootAsync(options) needs an object with useFactory');
  }
  const given = ASYNC_STRATEGIES.filter((key) => options[key] !== undefined);
  if (given.length !== 1) {
    throw invalidModuleOptions(
      'forRootAsync(options) needs exactly one of useFactory, useClass or useExisting',
    );
  }
  if (options.useFactory !== undefined && typeof options.useFactory !== 'function') {
    throw invalidModuleOptions('forRootAsync: useFactory must be a function');
  }
  if (options.inject !== undefined && !Array.isArray(options.inject)) {
    throw invalidModuleOptions('forRootAsync: inject must be an array of tokens');
  }
}

function describeAccessToken(token: unknown): unknown {
  if (token === undefined) return undefined;
  if (typeof token === 'string') return redactToken(token);
  const description = (token as Partial<AccessTokenSource> | null)?.description;
  return typeof description === 'string' ? `[AccessTokenSource ${description}]` : '[unknown]';
}

/**
 * Validates the module options and returns the copy the module injects. The copy keeps every
 * option enumerable, so spreading it still gives the full options, but `util.inspect` and
 * `JSON.stringify` of it show a label instead of the access token: Nest's builder already hands
 * out a copy (without the extras), and a copy we make must not print the secret.
 */
export function toModuleOptions(given: unknown): WitboostAuthModuleOptions {
  const value = ownOptions(given);
  if (!isPlainObject(value)) {
    throw invalidModuleOptions('the module options must be an object, e.g. { baseUrl }');
  }
  const httpService = value.httpService;
  if (
    httpService !== undefined &&
    typeof httpService !== 'boolean' &&
    !(
      isPlainObject(httpService) &&
      Object.keys(httpService).every((key) => key === 'allowGlobalAxios') &&
      (httpService.allowGlobalAxios === undefined ||
        typeof httpService.allowGlobalAxios === 'boolean')
    )
  ) {
    throw invalidModuleOptions('httpService must be a boolean or { allowGlobalAxios: boolean }');
  }
  const options = value as unknown as WitboostAuthModuleOptions;
  if (isPlainObject(httpService)) options.httpService = ownOptions(httpService);
  const summary = () => ({ ...options, accessToken: describeAccessToken(options.accessToken) });
  return Object.defineProperties(options, {
    toJSON: { value: summary },
    [inspect.custom]: { value: summary },
  });
}

/**
 * Routes the options provider that `ConfigurableModuleBuilder` generates (a value for `forRoot`,
 * a factory for every `forRootAsync` variant) through {@link toModuleOptions}.
 */
export function protectOptionsProvider(provider: Provider): Provider {
  if (typeof provider === 'function' || provider.provide !== WITBOOST_AUTH_MODULE_OPTIONS) {
    return provider;
  }
  if ('useValue' in provider) return { ...provider, useValue: toModuleOptions(provider.useValue) };
  if ('useFactory' in provider) {
    const factory: (...args: unknown[]) => unknown = provider.useFactory;
    return {
      ...provider,
      useFactory: async (...args: unknown[]) => toModuleOptions(await factory(...args)),
    };
  }
  return provider;
}
