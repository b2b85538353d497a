import { inspect } from 'node:util';
import { HttpModule } from '@nestjs/axios';
import type { DynamicModule } from '@nestjs/common';
import {
  WITBOOST_AUTH_MODULE_OPTIONS,
  WitboostAuthModule,
  type WitboostAuthModuleOptions,
  WitboostAuthService,
} from '@wb/auth-nestjs';
import { beforeEach, describe, expect, it } from 'vitest';
import { createTestingModule, SECRET_PATTERN, useEmulator } from './support.js';

const env = useEmulator();
let accessToken = '';
beforeEach(() => {
  accessToken = env.wb.issueAccessToken();
});

/** Everything a user may print of an object: deep inspection with hidden properties, and JSON. */
function renderings(value: unknown): string[] {
  return [inspect(value, { depth: 10, showHidden: true }), JSON.stringify(value)];
}

/** Compiles `module`, uses the service (fetch, getToken, axios) and returns what it printed. */
async function printedAfterUse(module: DynamicModule, extraImports: DynamicModule[] = []) {
  const moduleRef = await createTestingModule({ imports: [...extraImports, module] }).compile();
  env.track(moduleRef);
  await moduleRef.init();
  const service = moduleRef.get(WitboostAuthService);
  expect((await service.fetch('/api/catalog/entities')).status).toBe(200);
  expect((await service.axios.get('/api/catalog/entities')).status).toBe(200);
  const jwt = await service.getToken();
  expect(jwt).toMatch(/^eyJ/);
  const options: WitboostAuthModuleOptions = moduleRef.get(WITBOOST_AUTH_MODULE_OPTIONS);
  return { service, options, jwt, printed: [...renderings(service), ...renderings(options)] };
}

function expectNoSecret(printed: string[], jwt: string): void {
  for (const text of printed) {
    expect(text).not.toContain(accessToken);
    expect(text).not.toContain(jwt);
    expect(text).not.toMatch(SECRET_PATTERN);
  }
}

describe('inspecting the service and the injected options shows no secret', () => {
  it('forRoot: util.inspect (depth 10, showHidden) and JSON.stringify after requests', async () => {
    const { service, options, jwt, printed } = await printedAfterUse(
      WitboostAuthModule.forRoot({ baseUrl: env.wb.url, accessToken }),
    );
    expectNoSecret(printed, jwt);
    // Still useful for diagnostics: the settings, and a label telling tokens apart.
    expect(JSON.parse(JSON.stringify(service))).toEqual({
      baseUrl: env.wb.url,
      mode: 'bearer',
      principal: 'service',
      httpService: false,
    });
    expect(inspect(service)).toContain(env.wb.url);
    expect(JSON.parse(JSON.stringify(options))).toMatchObject({
      baseUrl: env.wb.url,
      accessToken: `wbat-…${accessToken.slice(-4)}`,
    });
    // The injected options still hold the real token for code that reads or spreads them.
    expect(options.accessToken).toBe(accessToken);
    expect({ ...options }).toEqual({ baseUrl: env.wb.url, accessToken });
  });

  it('forRootAsync with useFactory, and httpService bound', async () => {
    const { service, jwt, printed } = await printedAfterUse(
      WitboostAuthModule.forRootAsync({
        useFactory: () => ({ baseUrl: env.wb.url, accessToken, httpService: true }),
      }),
      [HttpModule.register({})],
    );
    expectNoSecret(printed, jwt);
    expect(service.toJSON().httpService).toBe(true);
  });

  it('an object holding the service prints no secret either', async () => {
    const { service, jwt } = await printedAfterUse(
      WitboostAuthModule.forRoot({ baseUrl: env.wb.url, accessToken }),
    );
    expectNoSecret(renderings({ holder: { service, auth: service.auth } }), jwt);
  });
});
