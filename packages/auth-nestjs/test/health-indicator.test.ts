// The README's health check, served over real HTTP with @nestjs/terminus.
import { Controller, Get, type INestApplication, Inject, Module } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import type { WitboostAuth } from '@wb/auth-core';
import {
  InjectWitboostAuth,
  WITBOOST_AUTH,
  WitboostAuthModule,
  WitboostHealthIndicator,
} from '@wb/auth-nestjs';
import { describe, expect, it } from 'vitest';
import { createTestingModule, SECRET_PATTERN, useEmulator } from './support.js';

const env = useEmulator();

@Controller('health')
class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(WitboostHealthIndicator) private readonly witboost: WitboostHealthIndicator,
  ) {}

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.witboost.isHealthy()]);
  }
}

@Controller('token')
class TokenController {
  constructor(@InjectWitboostAuth() private readonly auth: WitboostAuth) {}

  @Get()
  async token() {
    await this.auth.getToken();
    return { ok: true };
  }
}

async function start(refresh = { initialBackoffMs: 10, maxBackoffMs: 20 }) {
  const accessToken = env.wb.issueAccessToken();
  @Module({
    imports: [
      TerminusModule.forRoot({ logger: false }),
      WitboostAuthModule.forRoot({ baseUrl: env.wb.url, accessToken, refresh }),
    ],
    controllers: [HealthController, TokenController],
    providers: [WitboostHealthIndicator],
  })
  class AppModule {}
  const moduleRef = await createTestingModule({ imports: [AppModule] }).compile();
  const app: INestApplication = env.track(moduleRef.createNestApplication({ logger: false }));
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  const get = async (path: string) => {
    const res = await fetch(`${base.replace('[::1]', '127.0.0.1')}${path}`);
    const text = await res.text();
    expect(text).not.toMatch(SECRET_PATTERN);
    return { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
  };
  return { app, get };
}

describe('WitboostHealthIndicator with @nestjs/terminus', () => {
  it('is up before the first exchange (a token can be had) and with a fresh token', async () => {
    const { get } = await start();
    const cold = await get('/health/ready');
    expect(cold.status).toBe(200);
    expect(cold.body).toMatchObject({ status: 'ok', info: { witboost: { status: 'up' } } });
    expect(env.wb.stats.exchanges.total).toBe(0); // the probe itself never exchanges

    await get('/token');
    const warm = await get('/health/ready');
    expect(warm.status).toBe(200);
    expect(warm.body).toMatchObject({
      info: { witboost: { status: 'up', scopes: [{ scope: null, state: 'fresh' }] } },
    });
  });

  it('is down while no token is servable and the last exchange failed, up again after', async () => {
    const { get } = await start();
    env.wb.faults.failNextExchanges(3, { status: 503 });
    expect((await get('/token')).status).toBe(500);

    const down = await get('/health/ready');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({
      status: 'error',
      error: { witboost: { status: 'down', scopes: [{ scope: null, lastError: 'server_error' }] } },
    });

    await get('/token');
    expect((await get('/health/ready')).status).toBe(200);
  });

  it('is down once the instance is closed', async () => {
    const { app } = await start();
    const indicator = app.get(WitboostHealthIndicator);
    expect(indicator.isHealthy('wb')).toMatchObject({ wb: { status: 'up' } });
    await app.get<WitboostAuth>(WITBOOST_AUTH).close();
    expect(indicator.isHealthy()).toEqual({
      witboost: { status: 'down', scopes: expect.any(Array), closed: true },
    });
  });
});
