// The README's example, served over real HTTP: a controller listing data products with the
// service's axios instance and validating a policy with its fetch (CG scope picked by URL).
import { Body, Controller, Get, Inject, Module, Post } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import {
  WitboostAuthExceptionFilter,
  WitboostAuthModule,
  WitboostAuthService,
} from '@wb/auth-nestjs';
import { describe, expect, it } from 'vitest';
import { createTestingModule, useEmulator } from './support.js';

const env = useEmulator();
const CG_SCOPE = 'service:computational-governance';

@Controller()
class WitboostController {
  constructor(@Inject(WitboostAuthService) private readonly witboost: WitboostAuthService) {}

  @Get('data-products')
  async dataProducts(): Promise<unknown> {
    const { data } = await this.witboost.axios.get('/api/catalog/entities', {
      params: { kind: 'DataProduct' },
    });
    return data;
  }

  @Post('policies/validate')
  async validate(@Body() body: unknown): Promise<unknown> {
    const response = await this.witboost.fetch('/api/computational-governance/validate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return response.json();
  }
}

describe('e2e over HTTP', () => {
  it('serves Witboost data through an app configured with ConfigService', async () => {
    const accessToken = env.wb.issueAccessToken();
    @Module({
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          load: [() => ({ witboost: { baseUrl: env.wb.url, accessToken } })],
        }),
        WitboostAuthModule.forRootAsync({
          isGlobal: true,
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService) => ({
            baseUrl: config.getOrThrow<string>('witboost.baseUrl'),
            accessToken: config.getOrThrow<string>('witboost.accessToken'),
          }),
        }),
      ],
      controllers: [WitboostController],
      providers: [{ provide: APP_FILTER, useClass: WitboostAuthExceptionFilter }],
    })
    class AppModule {}

    const moduleRef = await createTestingModule({ imports: [AppModule] }).compile();
    const app = env.track(moduleRef.createNestApplication());
    await app.listen(0, '127.0.0.1');
    const url = await app.getUrl();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const list = await fetch(`${url}/data-products`);
    expect(list.status).toBe(200);
    const products = (await list.json()) as Array<{ kind: string }>;
    expect(products.length).toBeGreaterThan(0);
    expect(products.every((p) => p.kind === 'DataProduct')).toBe(true);

    for (const owner of ['group:finance', '']) {
      const validation = await fetch(`${url}/policies/validate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ policy: 'require-owner', resource: { owner } }),
      });
      expect(validation.status).toBe(201);
      expect(await validation.json()).toMatchObject({ satisfiesPolicy: owner !== '' });
    }

    // One exchange per scope, reused across requests.
    expect(env.wb.stats.exchanges.byScope).toEqual({ '(none)': 1, [CG_SCOPE]: 1 });
    expect(env.wb.stats.protectedRequests.ok).toBe(3);
  });
});
