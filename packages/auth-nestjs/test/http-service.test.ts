import { HttpModule, HttpService } from '@nestjs/axios';
import { Inject, Injectable, Module } from '@nestjs/common';
import { type WitboostAuth, WitboostAuthError } from '@wb/auth-core';
import { WITBOOST_AUTH, WitboostAuthModule } from '@wb/auth-nestjs';
import { isAxiosError } from 'axios';
import { firstValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createTestingModule, useEmulator } from './support.js';

const env = useEmulator();
const CG_SCOPE = 'service:computational-governance';

async function compileWithHttpModule(httpService: boolean | undefined) {
  const moduleRef = await createTestingModule({
    imports: [
      HttpModule.register({}),
      WitboostAuthModule.forRoot({
        baseUrl: env.wb.url,
        accessToken: env.wb.issueAccessToken(),
        ...(httpService === undefined ? {} : { httpService }),
      }),
    ],
  }).compile();
  env.track(moduleRef);
  await moduleRef.init();
  return moduleRef.get(HttpService);
}

describe('httpService opt-in', () => {
  it('true: requests through HttpService carry the right credential, scope included', async () => {
    const http = await compileWithHttpModule(true);
    const catalog = await firstValueFrom(
      http.get(`${env.wb.url}/api/catalog/entities`, { params: { kind: 'DataProduct' } }),
    );
    expect(catalog.status).toBe(200);
    const validation = await firstValueFrom(
      http.post(`${env.wb.url}/api/computational-governance/validate`, {
        policy: 'require-owner',
        resource: { owner: 'group:finance' },
      }),
    );
    expect(validation.data).toMatchObject({ satisfiesPolicy: true });
    expect(
      env.wb.lastRequests.filter((r) => r.path.startsWith('/api/c')).map((r) => r.authScheme),
    ).toEqual(['Bearer', 'Bearer']);
    expect(env.wb.stats.exchanges.byScope[CG_SCOPE]).toBe(1);
  });

  it('true: credentials never go to other origins through HttpService', async () => {
    const http = await compileWithHttpModule(true);
    const seen: Array<string | undefined> = [];
    // A per-request adapter: the instance's defaults stay as HttpModule made them.
    await firstValueFrom(
      http.get('https://elsewhere.example.com/api/catalog/entities', {
        adapter: async (config) => {
          seen.push(config.headers.get('authorization')?.toString());
          return { data: {}, status: 200, statusText: 'OK', headers: {}, config };
        },
      }),
    );
    expect(seen).toEqual([undefined]);
  });

  it('off by default: HttpService requests go out without credentials', async () => {
    const http = await compileWithHttpModule(undefined);
    const error = await firstValueFrom(http.get(`${env.wb.url}/api/catalog/entities`)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isAxiosError(error) && error.response?.status).toBe(401);
    expect(env.wb.lastRequests.at(-1)?.authScheme).toBeNull();
    expect(env.wb.stats.exchanges.total).toBe(0);
  });

  it('true without HttpModule: init fails with a clear message', async () => {
    const moduleRef = await createTestingModule({
      imports: [
        WitboostAuthModule.forRoot({
          baseUrl: env.wb.url,
          accessToken: env.wb.issueAccessToken(),
          httpService: true,
        }),
      ],
    }).compile();
    await expect(moduleRef.init()).rejects.toThrow(
      '[@wb/auth-nestjs] httpService: true needs HttpModule from @nestjs/axios imported in the application',
    );
    // Nest's close() rethrows a failed init and runs no hook: release the core directly.
    await moduleRef.get<{ close(): Promise<void> }>(WITBOOST_AUTH).close();
  });
});

@Injectable()
class CatalogClient {
  constructor(@Inject(HttpService) readonly http: HttpService) {}
}
@Injectable()
class GovernanceClient {
  constructor(@Inject(HttpService) readonly http: HttpService) {}
}

describe('httpService binding', () => {
  async function statusOf(http: HttpService, url: string): Promise<number | undefined> {
    return firstValueFrom(http.get(url)).then(
      (r) => r.status,
      (e: unknown) => (isAxiosError(e) ? e.response?.status : undefined),
    );
  }

  it('true: every HttpModule.register() instance of the application is bound', async () => {
    @Module({
      imports: [HttpModule.register({ baseURL: env.wb.url })],
      providers: [CatalogClient],
      exports: [CatalogClient],
    })
    class CatalogModule {}
    @Module({
      imports: [HttpModule.register({ baseURL: env.wb.url, timeout: 5_000 })],
      providers: [GovernanceClient],
      exports: [GovernanceClient],
    })
    class GovernanceModule {}
    const moduleRef = await createTestingModule({
      imports: [
        WitboostAuthModule.forRoot({
          baseUrl: env.wb.url,
          accessToken: env.wb.issueAccessToken(),
          httpService: true,
        }),
        CatalogModule,
        GovernanceModule,
      ],
    }).compile();
    env.track(moduleRef);
    await moduleRef.init();
    const catalog = moduleRef.get(CatalogClient).http;
    const governance = moduleRef.get(GovernanceClient).http;
    expect(catalog.axiosRef).not.toBe(governance.axiosRef);

    expect(await statusOf(catalog, '/api/catalog/entities')).toBe(200);
    expect(await statusOf(governance, '/api/catalog/entities')).toBe(200);
    expect(env.wb.stats.exchanges.total).toBe(1);
  });

  it("true with plain HttpModule (axios's global instance): init fails, nothing is bound", async () => {
    const moduleRef = await createTestingModule({
      imports: [
        HttpModule,
        WitboostAuthModule.forRoot({
          baseUrl: env.wb.url,
          accessToken: env.wb.issueAccessToken(),
          httpService: true,
        }),
      ],
    }).compile();
    const failure = await moduleRef.init().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(WitboostAuthError);
    expect(failure).toMatchObject({ code: 'invalid_options' });
    expect(String(failure)).toContain('HttpModule.register({})');
    expect(String(failure)).toContain('allowGlobalAxios: true');
    // The global instance, as any unrelated code in the process would use it.
    expect(await statusOf(moduleRef.get(HttpService), `${env.wb.url}/api/catalog/entities`)).toBe(
      401,
    );
    expect(env.wb.stats.exchanges.total).toBe(0);
    await moduleRef.get<WitboostAuth>(WITBOOST_AUTH).close();
  });

  it('{ allowGlobalAxios: true }: binds the global instance, and unbinds it on close', async () => {
    const moduleRef = await createTestingModule({
      imports: [
        HttpModule,
        WitboostAuthModule.forRoot({
          baseUrl: env.wb.url,
          accessToken: env.wb.issueAccessToken(),
          httpService: { allowGlobalAxios: true },
        }),
      ],
    }).compile();
    await moduleRef.init();
    const http = moduleRef.get(HttpService);
    const url = `${env.wb.url}/api/catalog/entities`;

    expect(await statusOf(http, url)).toBe(200);
    await moduleRef.close();
    expect(await statusOf(http, url)).toBe(401);
  });
});
