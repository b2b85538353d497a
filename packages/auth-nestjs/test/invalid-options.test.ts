import type { DynamicModule } from '@nestjs/common';
import { isWitboostAuthError } from '@wb/auth-core';
import { WitboostAuthModule, type WitboostAuthOptionsFactory } from '@wb/auth-nestjs';
import { describe, expect, it } from 'vitest';
import { createTestingModule, useEmulator } from './support.js';

const env = useEmulator();

/** The error `act` threw or rejected with. */
async function failureOf(act: () => unknown): Promise<unknown> {
  try {
    await act();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

function expectInvalidOptions(error: unknown, detail: RegExp): void {
  expect(isWitboostAuthError(error)).toBe(true);
  expect(error).toMatchObject({ name: 'WitboostAuthError', code: 'invalid_options' });
  expect((error as Error).message).toMatch(/@wb\/auth-nestjs: /);
  expect((error as Error).message).toMatch(detail);
}

/** Compiles an application importing `module` (bad factory results surface here). */
async function bootstrap(module: () => DynamicModule): Promise<void> {
  const moduleRef = await createTestingModule({ imports: [module()] }).compile();
  env.track(moduleRef);
}

class NotAnOptionsFactory implements WitboostAuthOptionsFactory {
  create() {
    return 'https://witboost.example.com' as never;
  }
}

describe('bad module options throw WitboostAuthError invalid_options', () => {
  const rows: [label: string, act: () => unknown, detail: RegExp][] = [
    ['forRoot()', () => WitboostAuthModule.forRoot(undefined as never), /options object/],
    ['forRoot(null)', () => WitboostAuthModule.forRoot(null as never), /options object/],
    ['forRoot(a string)', () => WitboostAuthModule.forRoot('x' as never), /options object/],
    [
      'forRoot with httpService not a boolean',
      () =>
        WitboostAuthModule.forRoot({
          baseUrl: 'https://witboost.example.com',
          httpService: 'yes' as never,
        }),
      /httpService must be a boolean/,
    ],
    [
      'forRoot with httpService an object other than { allowGlobalAxios: boolean }',
      () =>
        WitboostAuthModule.forRoot({
          baseUrl: 'https://witboost.example.com',
          httpService: { allowGlobalAxios: 'yes', global: true } as never,
        }),
      /httpService must be a boolean or \{ allowGlobalAxios: boolean \}/,
    ],
    [
      'forRoot with isGlobal not a boolean',
      () =>
        WitboostAuthModule.forRoot({
          baseUrl: 'https://witboost.example.com',
          isGlobal: 1 as never,
        }),
      /isGlobal must be a boolean/,
    ],
    ['forRootAsync()', () => WitboostAuthModule.forRootAsync(undefined as never), /useFactory/],
    ['forRootAsync({})', () => WitboostAuthModule.forRootAsync({}), /exactly one of/],
    [
      'forRootAsync with useFactory and useClass',
      () =>
        WitboostAuthModule.forRootAsync({
          useFactory: () => ({ baseUrl: 'https://witboost.example.com' }),
          useClass: NotAnOptionsFactory,
        }),
      /exactly one of/,
    ],
    [
      'forRootAsync with useFactory not a function',
      () => WitboostAuthModule.forRootAsync({ useFactory: 'x' as never }),
      /useFactory must be a function/,
    ],
    [
      'forRootAsync with inject not an array',
      () =>
        WitboostAuthModule.forRootAsync({
          useFactory: () => ({ baseUrl: 'https://witboost.example.com' }),
          inject: 'ConfigService' as never,
        }),
      /inject must be an array/,
    ],
    [
      'forRootAsync with isGlobal not a boolean',
      () =>
        WitboostAuthModule.forRootAsync({
          isGlobal: 'yes' as never,
          useFactory: () => ({ baseUrl: 'https://witboost.example.com' }),
        }),
      /isGlobal must be a boolean/,
    ],
    [
      'a factory returning nothing (bootstrap)',
      () =>
        bootstrap(() => WitboostAuthModule.forRootAsync({ useFactory: () => undefined as never })),
      /module options must be an object/,
    ],
    [
      'a factory returning httpService not a boolean (bootstrap)',
      () =>
        bootstrap(() =>
          WitboostAuthModule.forRootAsync({
            useFactory: async () => ({ baseUrl: env.wb.url, httpService: 1 as never }),
          }),
        ),
      /httpService must be a boolean/,
    ],
    [
      'a useClass factory returning a string (bootstrap)',
      () => bootstrap(() => WitboostAuthModule.forRootAsync({ useClass: NotAnOptionsFactory })),
      /module options must be an object/,
    ],
  ];

  it.each(rows)('%s', async (_label, act, detail) => {
    expectInvalidOptions(await failureOf(act), detail);
  });

  it('a bad core option still fails the bootstrap with core’s own invalid_options', async () => {
    const error = await failureOf(() =>
      bootstrap(() => WitboostAuthModule.forRootAsync({ useFactory: () => ({ baseUrl: 'x' }) })),
    );
    expect(error).toMatchObject({ code: 'invalid_options' });
    expect((error as Error).message).toMatch(/^\[@wb\/auth-core\] baseUrl/);
  });
});
