import { Inject, Injectable, Module, type ModuleMetadata } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import type { WitboostAuth } from '@wb/auth-core';
import {
  InjectWitboostAuth,
  InjectWitboostAuthOptions,
  WITBOOST_AUTH,
  WITBOOST_AUTH_MODULE_OPTIONS,
  WitboostAuthModule,
  type WitboostAuthModuleOptions,
  type WitboostAuthOptionsFactory,
  WitboostAuthService,
} from '@wb/auth-nestjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestingModule, SECRET_PATTERN, useEmulator } from './support.js';

const env = useEmulator();
let accessToken = '';
beforeAll(() => {
  accessToken = env.wb.issueAccessToken();
});

async function compile(
  imports: NonNullable<ModuleMetadata['imports']>,
  providers: NonNullable<ModuleMetadata['providers']> = [],
) {
  const moduleRef = await createTestingModule({ imports, providers }).compile();
  env.track(moduleRef);
  await moduleRef.init();
  return moduleRef;
}

/** Proves a registration works end to end: a real exchange against the emulator. */
async function expectWorkingService(service: WitboostAuthService): Promise<void> {
  const authorization = await service.authorizationFor(`${env.wb.url}/api/catalog/entities`);
  expect(authorization).toMatch(/^Bearer eyJ/);
  expect(await service.authorizationFor('https://elsewhere.example.com/')).toBeUndefined();
  const response = await service.fetch('/api/catalog/entities?kind=DataProduct');
  expect(response.status).toBe(200);
  expect(env.wb.stats.exchanges.ok).toBeGreaterThanOrEqual(1);
}

@Injectable()
class OptionsFromClass implements WitboostAuthOptionsFactory {
  create(): WitboostAuthModuleOptions {
    return { baseUrl: env.wb.url, accessToken };
  }
}

@Module({ providers: [OptionsFromClass], exports: [OptionsFromClass] })
class OptionsModule {}

/** Relies on decorator metadata (no @Inject): proves metadata is emitted in tests. */
@Injectable()
class ImplicitConsumer {
  constructor(readonly witboost: WitboostAuthService) {}
}

@Injectable()
class ExplicitConsumer {
  constructor(
    @Inject(WitboostAuthService) readonly witboost: WitboostAuthService,
    @InjectWitboostAuth() readonly auth: WitboostAuth,
    @InjectWitboostAuthOptions() readonly options: WitboostAuthModuleOptions,
  ) {}
}

@Module({ providers: [ExplicitConsumer], exports: [ExplicitConsumer] })
class FeatureModule {}

describe('WitboostAuthModule.forRoot', () => {
  it('provides a working WitboostAuthService, the core instance and the options', async () => {
    const moduleRef = await compile(
      [WitboostAuthModule.forRoot({ baseUrl: env.wb.url, accessToken })],
      [ImplicitConsumer],
    );
    const service = moduleRef.get(WitboostAuthService);
    await expectWorkingService(service);
    expect(moduleRef.get(WITBOOST_AUTH)).toBe(service.auth);
    expect(service.auth.baseUrl).toBe(env.wb.url);
    expect(moduleRef.get(ImplicitConsumer).witboost).toBe(service);
    expect(moduleRef.get(WITBOOST_AUTH_MODULE_OPTIONS)).toEqual({
      baseUrl: env.wb.url,
      accessToken,
    });
  });

  it('exposes an axios instance bound to the Witboost base URL', async () => {
    const moduleRef = await compile([
      WitboostAuthModule.forRoot({ baseUrl: env.wb.url, accessToken }),
    ]);
    const { axios } = moduleRef.get(WitboostAuthService);
    expect(axios.defaults.baseURL).toBe(env.wb.url);
    const response = await axios.get<Array<{ kind: string }>>('/api/catalog/entities', {
      params: { kind: 'DataProduct' },
    });
    expect(response.status).toBe(200);
    expect(response.data.length).toBeGreaterThan(0);
    expect(response.data.every((e) => e.kind === 'DataProduct')).toBe(true);
  });

  it('fails the bootstrap on invalid options, with a message free of secrets', async () => {
    const attempt = createTestingModule({
      imports: [WitboostAuthModule.forRoot({ baseUrl: 'not a url', accessToken })],
    }).compile();
    const error = await attempt.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/\[@wb\/auth-core\].*baseUrl/);
    expect((error as Error).message).not.toMatch(SECRET_PATTERN);
  });
});

describe('WitboostAuthModule.forRootAsync', () => {
  it('useFactory + inject + imports with @nestjs/config ConfigService', async () => {
    const moduleRef = await compile([
      ConfigModule.forRoot({
        ignoreEnvFile: true,
        load: [() => ({ witboost: { baseUrl: env.wb.url, accessToken } })],
      }),
      WitboostAuthModule.forRootAsync({
        imports: [ConfigModule],
        inject: [ConfigService],
        useFactory: (config: ConfigService) => ({
          baseUrl: config.getOrThrow<string>('witboost.baseUrl'),
          accessToken: config.getOrThrow<string>('witboost.accessToken'),
        }),
      }),
    ]);
    await expectWorkingService(moduleRef.get(WitboostAuthService));
  });

  it('async useFactory', async () => {
    const moduleRef = await compile([
      WitboostAuthModule.forRootAsync({
        useFactory: async () => ({ baseUrl: env.wb.url, accessToken }),
      }),
    ]);
    await expectWorkingService(moduleRef.get(WitboostAuthService));
  });

  it('useClass', async () => {
    const moduleRef = await compile([
      WitboostAuthModule.forRootAsync({ useClass: OptionsFromClass }),
    ]);
    await expectWorkingService(moduleRef.get(WitboostAuthService));
  });

  it('useExisting, with the provider coming from imports', async () => {
    const moduleRef = await compile([
      WitboostAuthModule.forRootAsync({ imports: [OptionsModule], useExisting: OptionsFromClass }),
    ]);
    await expectWorkingService(moduleRef.get(WitboostAuthService));
    expect(moduleRef.get(WITBOOST_AUTH_MODULE_OPTIONS)).toEqual({
      baseUrl: env.wb.url,
      accessToken,
    });
  });
});

describe('isGlobal', () => {
  it('true: a feature module injects the service, the core and the options without importing the module', async () => {
    const moduleRef = await compile([
      WitboostAuthModule.forRootAsync({
        isGlobal: true,
        useFactory: () => ({ baseUrl: env.wb.url, accessToken }),
      }),
      FeatureModule,
    ]);
    const consumer = moduleRef.get(ExplicitConsumer);
    expect(consumer.witboost).toBe(moduleRef.get(WitboostAuthService));
    expect(consumer.auth).toBe(consumer.witboost.auth);
    expect(consumer.options).toEqual({ baseUrl: env.wb.url, accessToken });
    // isGlobal is a module extra, not a client option.
    expect(consumer.options).not.toHaveProperty('isGlobal');
    await expectWorkingService(consumer.witboost);
  });

  it('true with forRoot', async () => {
    const moduleRef = await compile([
      WitboostAuthModule.forRoot({ isGlobal: true, baseUrl: env.wb.url, accessToken }),
      FeatureModule,
    ]);
    expect(moduleRef.get(ExplicitConsumer).witboost).toBe(moduleRef.get(WitboostAuthService));
    expect(moduleRef.get(WITBOOST_AUTH_MODULE_OPTIONS)).not.toHaveProperty('isGlobal');
  });

  it('false (default): a feature module that does not import the module cannot inject it', async () => {
    const attempt = createTestingModule({
      imports: [WitboostAuthModule.forRoot({ baseUrl: env.wb.url, accessToken }), FeatureModule],
    }).compile();
    await expect(attempt).rejects.toThrow(/can't resolve dependencies of the ExplicitConsumer/);
  });
});
