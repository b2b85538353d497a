import 'reflect-metadata';
import { Controller, Get, Inject } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import {
  WitboostAuthExceptionFilter,
  WitboostAuthModule,
  WitboostAuthService,
} from '@wb/auth-nestjs';
import { describe } from 'vitest';
import { APP_PATHS, callApp } from './support/http.js';
import { expectOk, VALIDATE_BODY } from './support/soak.js';
import { soakAdapter } from './support/soak-adapter.js';

@Controller()
class SoakController {
  constructor(@Inject(WitboostAuthService) private readonly witboost: WitboostAuthService) {}

  @Get(APP_PATHS.catalog)
  async catalog(): Promise<unknown> {
    const answer = await this.witboost.fetch('/api/catalog/entities');
    return answer.json();
  }

  @Get(APP_PATHS.validate)
  async validate(): Promise<unknown> {
    const { data } = await this.witboost.axios.post(
      '/api/computational-governance/validate',
      VALIDATE_BODY,
    );
    return data;
  }
}

describe('soak: @wb/auth-nestjs WitboostAuthService', () => {
  soakAdapter('nestjs WitboostAuthService (fetch + axios)', async ({ authOptions }) => {
    const moduleRef = await Test.createTestingModule({
      imports: [WitboostAuthModule.forRoot(authOptions)],
      controllers: [SoakController],
      providers: [{ provide: APP_FILTER, useClass: WitboostAuthExceptionFilter }],
    })
      .setLogger({ log() {}, error() {}, warn() {} })
      .compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    const url = await app.getUrl();
    const service = app.get(WitboostAuthService);
    return {
      async request(target) {
        const { status, body } = await callApp(url, target);
        await expectOk(target, status, body);
      },
      // util.inspect(service) is left out: it prints the module options, access token included
      // (a defect of @wb/auth-nestjs, reported; see leak-hunt.test.ts).
      objects: () => ({ auth: service.auth, axiosDefaults: service.axios.defaults }),
      close: () => app.close(),
    };
  });
});
