import { createWitboostAuth, type WitboostAuth, type WitboostAuthEvent } from '@wb/auth-core';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectNoSecret } from './helpers.js';

// DESIGN §4: a 400 fails fast; only the server saying the duration is too long earns a shorter one.
let wb: WitboostMock;
let auth: WitboostAuth | undefined;

beforeEach(async () => {
  wb = await startWitboostMock({ port: 0 });
});

afterEach(async () => {
  await auth?.close();
  auth = undefined;
  await wb.close();
});

function create(events: WitboostAuthEvent[], durationSeconds: number): WitboostAuth {
  const accessToken = wb.issueAccessToken();
  auth = createWitboostAuth({
    baseUrl: wb.url,
    accessToken,
    durationSeconds,
    // No cooldown: the next call reaches the emulator, so its duration can be checked.
    refresh: { rejectionCooldownMs: 0 },
    onEvent: (event) => events.push(event),
  });
  return auth;
}

describe('a 400 from the exchange', () => {
  it.each([
    ['the default fault body', undefined],
    ['a malformed-duration message', { error: { message: 'duration_seconds must be an integer' } }],
    ['an unrelated message', { error: { message: 'invalid scope' } }],
  ])(
    'with %s fails after one exchange, and the next call asks for the original duration',
    async (_name, body) => {
      const events: WitboostAuthEvent[] = [];
      const client = create(events, 300);
      wb.faults.failNextExchanges(1, body === undefined ? { status: 400 } : { status: 400, body });
      const error = await client.getToken().catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'exchange_bad_request', status: 400 });
      expect(String((error as Error).message)).toContain('duration 300s');
      expect(wb.stats.exchanges.total).toBe(1);
      expectNoSecret(error, []);

      await client.getToken();
      expect(wb.stats.exchanges.total).toBe(2);
      expect(events.filter((e) => e.type === 'exchange')).toMatchObject([{ lifetimeSeconds: 300 }]);
    },
  );

  it('that lasts costs one exchange per call, each naming the requested duration', async () => {
    const client = create([], 3600);
    wb.faults.failNextExchanges(2, { status: 400, body: { error: { message: 'invalid scope' } } });
    for (const calls of [1, 2]) {
      const error = await client.getToken().catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'exchange_bad_request' });
      expect(String((error as Error).message)).toContain('duration 3600s');
      expect(wb.stats.exchanges.total).toBe(calls);
    }
  });

  it('saying the duration exceeds the remaining lifetime is retried shorter', async () => {
    const events: WitboostAuthEvent[] = [];
    const client = create(events, 300);
    wb.faults.failNextExchanges(1, {
      status: 400,
      body: {
        error: { message: "duration_seconds exceeds the access token's remaining lifetime" },
      },
    });
    await client.getToken();
    expect(wb.stats.exchanges.total).toBe(2);
    expect(events.filter((e) => e.type === 'exchange')).toMatchObject([{ lifetimeSeconds: 150 }]);
  });
});
