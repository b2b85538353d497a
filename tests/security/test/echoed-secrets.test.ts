import 'reflect-metadata';
import { Controller, Get, Inject, Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createWitboostAxios } from '@wb/auth-axios';
import { createWitboostAuth, exchangeAccessToken, type WitboostAuthEvent } from '@wb/auth-core';
import {
  WitboostAuthExceptionFilter,
  WitboostAuthModule,
  WitboostAuthService,
} from '@wb/auth-nestjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ECHOES, startEchoingExchange } from './support/echo.js';
import { expectNoLeak, thrown } from './support/leaks.js';
import { closeAttackers } from './support/servers.js';

/**
 * A server echoes the access token in its error message, in every encoding we know of. None of
 * it may reach an error (message, stack, inspect with showHidden, JSON), a log line or an event.
 */
const TOKEN = 'wbat-Qz9_Lm4-Kp2Rt7Vw1Yb6Nc3Hd5Jf0Gs8X';

afterEach(async () => {
  vi.restoreAllMocks();
  await closeAttackers();
});

function capture() {
  const lines: unknown[] = [];
  const log = (obj: object, msg?: string) => lines.push(obj, msg);
  const events: WitboostAuthEvent[] = [];
  return {
    lines,
    events,
    logger: { debug: log, info: log, warn: log, error: log },
    onEvent: (event: WitboostAuthEvent) => events.push(event),
  };
}

describe.each(Object.entries(ECHOES))('a token echoed %s', (_name, echo) => {
  it.each([400, 401, 403])(
    'core: the error of a %i exchange, its logs and events hold none of it',
    async (status) => {
      const server = await startEchoingExchange(status, echo);
      const seen = capture();
      const auth = createWitboostAuth({
        baseUrl: server.url,
        accessToken: TOKEN,
        logger: seen.logger,
        onEvent: seen.onEvent,
      });
      const error = await thrown(() => auth.getToken());
      const viaHeader = await thrown(() => auth.authorizationFor('/api/catalog/entities'));
      await auth.close();
      // The server did get the token and answered with it: the attack really happened.
      expect(server.hits[0]?.body).toContain(TOKEN);
      expect(JSON.stringify(error)).toBeDefined();
      expectNoLeak([error, viaHeader, ...seen.lines, ...seen.events], [TOKEN]);
    },
  );

  it('exchangeAccessToken: a 500 quoting it leaves none of it in the error', async () => {
    const server = await startEchoingExchange(500, echo);
    const error = await thrown(() =>
      exchangeAccessToken({ baseUrl: server.url, accessToken: TOKEN }),
    );
    expectNoLeak([error], [TOKEN]);
  });

  it('axios: the AxiosError of a request whose exchange echoed it holds none of it', async () => {
    const server = await startEchoingExchange(401, echo);
    const auth = createWitboostAuth({ baseUrl: server.url, accessToken: TOKEN });
    const error = await thrown(() => createWitboostAxios({ auth }).get('/api/catalog/entities'));
    await auth.close();
    expectNoLeak([error], [TOKEN]);
  });

  it("Nest: the exception filter's log line and the answer hold none of it", async () => {
    const server = await startEchoingExchange(400, echo);
    const logged: unknown[] = [];
    vi.spyOn(Logger.prototype, 'error').mockImplementation((...args: unknown[]) => {
      logged.push(...args);
    });
    @Controller()
    class TokenController {
      constructor(@Inject(WitboostAuthService) private readonly witboost: WitboostAuthService) {}
      @Get('token')
      token() {
        return this.witboost.getToken();
      }
    }
    const ref = await Test.createTestingModule({
      imports: [WitboostAuthModule.forRoot({ baseUrl: server.url, accessToken: TOKEN })],
      controllers: [TokenController],
    }).compile();
    const app = ref.createNestApplication({ logger: false });
    app.useGlobalFilters(new WitboostAuthExceptionFilter(app.getHttpAdapter()));
    await app.listen(0, '127.0.0.1');
    const answer = await fetch(`${await app.getUrl()}/token`);
    const body = await answer.text();
    await app.close();
    expect(answer.status).toBe(502);
    expect(logged.length).toBeGreaterThan(0);
    expectNoLeak([body, ...logged], [TOKEN]);
  });
});
