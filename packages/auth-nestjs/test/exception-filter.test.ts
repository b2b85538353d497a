import {
  type ArgumentsHost,
  Catch,
  Controller,
  type ExceptionFilter,
  Get,
  HttpException,
  type INestApplication,
  Inject,
  type LoggerService,
  Module,
  NotFoundException,
} from '@nestjs/common';
import { APP_FILTER, HttpAdapterHost } from '@nestjs/core';
import { toHttpProblem, WitboostAuthError } from '@wb/auth-core';
import {
  toWitboostHttpException,
  WitboostAuthExceptionFilter,
  WitboostAuthModule,
  WitboostAuthService,
} from '@wb/auth-nestjs';
import { AxiosError } from 'axios';
import { beforeEach, describe, expect, it } from 'vitest';
import { createTestingModule, SECRET_PATTERN, useEmulator } from './support.js';

const env = useEmulator();
const logged: string[] = [];
const capture: LoggerService = {
  log: (m: unknown) => logged.push(String(m)),
  error: (m: unknown) => logged.push(String(m)),
  warn: (m: unknown) => logged.push(String(m)),
};
beforeEach(() => {
  logged.length = 0;
});

const RATE_LIMITED = new WitboostAuthError('rate_limited', 'Witboost answered 429', {
  status: 429,
  retryAfterMs: 6_500,
});

@Controller()
class ProbeController {
  constructor(@Inject(WitboostAuthService) private readonly witboost: WitboostAuthService) {}

  @Get('token')
  async token() {
    return { length: (await this.witboost.getToken()).length };
  }

  @Get('via-axios')
  async viaAxios() {
    return (await this.witboost.axios.get('/api/catalog/entities')).data;
  }

  @Get('rate-limited')
  rateLimited() {
    throw RATE_LIMITED;
  }

  @Get('not-found')
  notFound() {
    throw new NotFoundException('no such thing');
  }

  @Get('boom')
  boom() {
    throw new Error('unrelated failure');
  }

  @Get('upstream')
  upstream() {
    throw new AxiosError('upstream answered 404', 'ERR_BAD_REQUEST');
  }

  @Get('mapped')
  async mapped() {
    try {
      return await this.witboost.getToken();
    } catch (error) {
      throw toWitboostHttpException(error) ?? error;
    }
  }
}

type FilterRegistration = 'APP_FILTER' | 'useGlobalFilters';

async function startApp(accessToken: string, registration: FilterRegistration): Promise<string> {
  @Module({
    imports: [WitboostAuthModule.forRoot({ baseUrl: env.wb.url, accessToken })],
    controllers: [ProbeController],
    providers:
      registration === 'APP_FILTER'
        ? [{ provide: APP_FILTER, useClass: WitboostAuthExceptionFilter }]
        : [],
  })
  class AppModule {}

  const moduleRef = await createTestingModule({ imports: [AppModule] }, capture).compile();
  const app: INestApplication = env.track(moduleRef.createNestApplication());
  if (registration === 'useGlobalFilters') {
    app.useGlobalFilters(new WitboostAuthExceptionFilter(app.get(HttpAdapterHost).httpAdapter));
  }
  await app.listen(0, '127.0.0.1');
  return app.getUrl();
}

describe.each<FilterRegistration>(['APP_FILTER', 'useGlobalFilters'])(
  'WitboostAuthExceptionFilter via %s',
  (registration) => {
    it('maps a revoked service access token to the problem of toHttpProblem, without secrets', async () => {
      const accessToken = env.wb.issueAccessToken();
      env.wb.revoke(accessToken);
      const url = await startApp(accessToken, registration);
      const response = await fetch(`${url}/token`);
      const text = await response.text();
      expect(response.status).toBe(502);
      expect(JSON.parse(text)).toEqual({
        error: { code: 'access_token_rejected', message: expect.any(String) },
      });
      expect(text).not.toContain(accessToken);
      expect(text).not.toMatch(SECRET_PATTERN);
      expect(logged.join('\n')).toContain('access_token_rejected');
      expect(logged.join('\n')).not.toMatch(SECRET_PATTERN);
    });

    it('also maps the AxiosError of the axios instance, whose cause is the Witboost error', async () => {
      const accessToken = env.wb.issueAccessToken();
      env.wb.revoke(accessToken);
      const url = await startApp(accessToken, registration);
      const response = await fetch(`${url}/via-axios`);
      expect(response.status).toBe(502);
      expect(await response.json()).toMatchObject({ error: { code: 'access_token_rejected' } });
    });

    it('sends the headers of the problem (Retry-After)', async () => {
      const url = await startApp(env.wb.issueAccessToken(), registration);
      const response = await fetch(`${url}/rate-limited`);
      const expected = toHttpProblem(RATE_LIMITED);
      expect(response.status).toBe(expected.status);
      expect(response.headers.get('retry-after')).toBe('7');
      expect(await response.json()).toEqual(expected.body);
    });

    it('leaves other errors to Nest', async () => {
      const url = await startApp(env.wb.issueAccessToken(), registration);
      const notFound = await fetch(`${url}/not-found`);
      expect(notFound.status).toBe(404);
      expect(await notFound.json()).toMatchObject({ statusCode: 404, message: 'no such thing' });
      const boom = await fetch(`${url}/boom`);
      expect(boom.status).toBe(500);
      expect(await boom.json()).toEqual({ statusCode: 500, message: 'Internal server error' });
    });
  },
);

@Catch(HttpException)
class MyHttpFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost) {
    const response = host.switchToHttp().getResponse<{
      status(code: number): { json(body: unknown): void };
    }>();
    response.status(exception.getStatus()).json({ handledBy: 'MyHttpFilter' });
  }
}

@Catch()
class MyCatchAll implements ExceptionFilter {
  catch(_exception: unknown, host: ArgumentsHost) {
    const response = host.switchToHttp().getResponse<{
      status(code: number): { json(body: unknown): void };
    }>();
    response.status(418).json({ handledBy: 'MyCatchAll' });
  }
}

type Order = 'APP_FILTER mine first' | 'APP_FILTER ours first' | 'useGlobalFilters(mine, ours)';

async function startWithFilters(
  accessToken: string,
  mine: new () => ExceptionFilter,
  order: Order,
): Promise<string> {
  const ours = { provide: APP_FILTER, useClass: WitboostAuthExceptionFilter };
  const theirs = { provide: APP_FILTER, useClass: mine };
  @Module({
    imports: [WitboostAuthModule.forRoot({ baseUrl: env.wb.url, accessToken })],
    controllers: [ProbeController],
    providers:
      order === 'APP_FILTER mine first'
        ? [theirs, ours]
        : order === 'APP_FILTER ours first'
          ? [ours, theirs]
          : [],
  })
  class AppModule {}
  const moduleRef = await createTestingModule({ imports: [AppModule] }, capture).compile();
  const app: INestApplication = env.track(moduleRef.createNestApplication());
  if (order === 'useGlobalFilters(mine, ours)') {
    const { httpAdapter } = app.get(HttpAdapterHost);
    app.useGlobalFilters(new mine(), new WitboostAuthExceptionFilter(httpAdapter));
  }
  await app.listen(0, '127.0.0.1');
  return app.getUrl();
}

describe.each<Order>([
  'APP_FILTER mine first',
  'APP_FILTER ours first',
  'useGlobalFilters(mine, ours)',
])('next to your own filters (%s)', (order) => {
  it('your @Catch(HttpException) filter keeps your HttpExceptions, ours the Witboost errors', async () => {
    const url = await startWithFilters(env.wb.issueAccessToken(), MyHttpFilter, order);

    const notFound = await fetch(`${url}/not-found`);
    const rateLimited = await fetch(`${url}/rate-limited`);

    expect([notFound.status, await notFound.json()]).toEqual([404, { handledBy: 'MyHttpFilter' }]);
    expect([rateLimited.status, await rateLimited.json()]).toEqual([
      503,
      toHttpProblem(RATE_LIMITED).body,
    ]);
  });

  it('an HttpException from toWitboostHttpException stays with your filter', async () => {
    const accessToken = env.wb.issueAccessToken();
    env.wb.revoke(accessToken);
    const url = await startWithFilters(accessToken, MyHttpFilter, order);

    const response = await fetch(`${url}/mapped`);

    expect([response.status, await response.json()]).toEqual([502, { handledBy: 'MyHttpFilter' }]);
  });

  it('your catch-all keeps every exception that is not a Witboost error, AxiosErrors included', async () => {
    const url = await startWithFilters(env.wb.issueAccessToken(), MyCatchAll, order);

    const upstream = await fetch(`${url}/upstream`);
    const boom = await fetch(`${url}/boom`);

    expect([upstream.status, await upstream.json()]).toEqual([418, { handledBy: 'MyCatchAll' }]);
    expect(boom.status).toBe(418);
  });
});

describe('without the filter', () => {
  it('a Witboost error is an opaque 500, as for any unknown error', async () => {
    const accessToken = env.wb.issueAccessToken();
    env.wb.revoke(accessToken);
    @Module({
      imports: [WitboostAuthModule.forRoot({ baseUrl: env.wb.url, accessToken })],
      controllers: [ProbeController],
    })
    class PlainModule {}
    const moduleRef = await createTestingModule({ imports: [PlainModule] }).compile();
    const app = env.track(moduleRef.createNestApplication());
    await app.listen(0, '127.0.0.1');
    const response = await fetch(`${await app.getUrl()}/token`);
    expect(response.status).toBe(500);
  });
});

describe('toWitboostHttpException', () => {
  it('maps Witboost errors to an HttpException with the problem status and body', () => {
    const exception = toWitboostHttpException(RATE_LIMITED);
    expect(exception?.getStatus()).toBe(503);
    expect(exception?.getResponse()).toEqual(toHttpProblem(RATE_LIMITED).body);
    expect(exception?.cause).toBe(RATE_LIMITED);
  });

  it('unwraps a Witboost error carried as cause', () => {
    const wrapped = new Error('request failed', { cause: RATE_LIMITED });
    expect(toWitboostHttpException(wrapped)?.getStatus()).toBe(503);
  });

  it('returns undefined for anything else', () => {
    expect(toWitboostHttpException(new Error('x'))).toBeUndefined();
    expect(toWitboostHttpException('x')).toBeUndefined();
  });
});
