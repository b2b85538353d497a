import { createWitboostAuth, type WitboostAuth, type WitboostAuthEvent } from '@wb/auth-core';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// DESIGN §4: a JWT signer whose clock differs from the HTTP front's `Date` never costs a fresh
// token, and an event says so. The emulator's skew moves the signer only (`iat`), not `Date`.
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

function create(events: WitboostAuthEvent[]): WitboostAuth {
  auth = createWitboostAuth({
    baseUrl: wb.url,
    accessToken: wb.issueAccessToken(),
    onEvent: (event) => events.push(event),
  });
  return auth;
}

const HOURS_3_MS = 3 * 3600 * 1000;

describe('server clocks that disagree', () => {
  it.each([
    ['ahead', 3 * 3600, 1],
    ['behind', -3 * 3600, -1],
  ])(
    'a signer three hours %s: the token is served and one skew warning says so',
    async (_name, seconds, sign) => {
      wb.faults.setClockSkew(seconds);
      const events: WitboostAuthEvent[] = [];
      const client = create(events);
      expect((await client.fetch('/api/catalog/entities')).status).toBe(200);
      const exchange = events.find((e) => e.type === 'exchange');
      expect(exchange).toMatchObject({ lifetimeSeconds: 300 });
      const warnings = events.filter((e) => e.type === 'clock_warning');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({
        type: 'clock_warning',
        reason: 'skew',
        scope: undefined,
      });
      const skewMs = (warnings[0] as { skewMs: number }).skewMs;
      // iat − Date: whole seconds on both sides, a few ms of server time between them.
      expect(Math.abs(skewMs - sign * HOURS_3_MS)).toBeLessThanOrEqual(2_000);
    },
  );

  it('no skew, no warning', async () => {
    const events: WitboostAuthEvent[] = [];
    const client = create(events);
    await client.getToken();
    expect(events.filter((e) => e.type === 'exchange')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'clock_warning')).toEqual([]);
  });
});
