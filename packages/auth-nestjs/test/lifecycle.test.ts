import { isWitboostAuthError, type WitboostAuthEvent } from '@wb/auth-core';
import { WitboostAuthModule, WitboostAuthService } from '@wb/auth-nestjs';
import { describe, expect, it } from 'vitest';
import { createTestingModule, useEmulator } from './support.js';

const env = useEmulator();

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('shutdown', () => {
  it('closing the testing module closes the core instance', async () => {
    const moduleRef = await createTestingModule({
      imports: [
        WitboostAuthModule.forRoot({ baseUrl: env.wb.url, accessToken: env.wb.issueAccessToken() }),
      ],
    }).compile();
    await moduleRef.init();
    const service = moduleRef.get(WitboostAuthService);
    expect(await service.getToken()).toMatch(/^eyJ/);
    await moduleRef.close();
    const error = await rejection(service.getToken());
    expect(isWitboostAuthError(error) && error.code).toBe('closed');
  });

  it('app.close() returns promptly with keepWarm and leaves no refresh behind', async () => {
    const events: WitboostAuthEvent[] = [];
    const moduleRef = await createTestingModule({
      imports: [
        WitboostAuthModule.forRoot({
          baseUrl: env.wb.url,
          accessToken: env.wb.issueAccessToken(),
          keepWarm: true,
          // A refresh point within the test's lifetime if anything survived the close.
          durationSeconds: 2,
          refresh: { refreshAtRatio: 0.25, jitterRatio: 0, expiryMarginMs: 100 },
          onEvent: (event) => events.push(event),
        }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const service = app.get(WitboostAuthService);
    await service.getToken();
    const started = performance.now();
    await app.close();
    expect(performance.now() - started).toBeLessThan(500);
    const exchangesAtClose = env.wb.stats.exchanges.total;
    expect(exchangesAtClose).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(env.wb.stats.exchanges.total).toBe(exchangesAtClose);
    expect(isWitboostAuthError(await rejection(service.fetch('/api/catalog/entities')))).toBe(true);
  });
});
