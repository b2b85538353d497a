import { HttpModule, HttpService } from '@nestjs/axios';
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
      HttpModule,
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
    // A per-request adapter: HttpModule's default instance is axios's global one, so never
    // change its defaults.
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
