import { createWitboostAxios } from '@wb/auth-axios';
import { type AuthMode, createWitboostAuth, type WitboostAuth } from '@wb/auth-core';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type AttackerServer,
  closeAttackers,
  credentialed,
  startAttacker,
} from './support/servers.js';

/** Redirects from Witboost to the attacker: no hop off the Witboost origin carries a credential. */
let wb: WitboostMock;
let attacker: AttackerServer;
let auth: WitboostAuth | undefined;

beforeAll(async () => {
  wb = await startWitboostMock({ port: 0, basicAuth: true });
});
afterAll(async () => {
  await wb.close();
});
afterEach(async () => {
  await auth?.close();
  auth = undefined;
  await closeAttackers();
});

const STATUSES = [301, 302, 303, 307, 308];

/** Witboost URLs that redirect to the attacker, in several spellings of the target. */
function redirectsTo(status: number): string[] {
  const targets = [
    `${attacker.url}/stolen`,
    `//${attacker.host}/stolen`,
    // Back to Witboost after visiting the attacker: still nothing on the last hop either.
    `${attacker.url}/bounce`,
  ];
  return targets.map(
    (to) =>
      `/__test/redirect?status=${status}&to=${encodeURIComponent(to.startsWith('//') ? `http:${to}` : to)}`,
  );
}

describe.each(['bearer', 'basic'] as AuthMode[])('redirects in %s mode', (mode) => {
  it.each(STATUSES)('auth.fetch: a %i to another origin carries no credential', async (status) => {
    attacker = await startAttacker();
    auth = createWitboostAuth({ baseUrl: wb.url, accessToken: wb.issueAccessToken(), mode });
    for (const url of redirectsTo(status)) {
      const response = await auth.fetch(url, { method: 'POST', body: 'x' });
      expect(response.status).toBe(200);
    }
    expect(attacker.hits).toHaveLength(3);
    expect(credentialed(attacker.hits)).toEqual([]);
  });

  it.each(['http', 'fetch'] as const)(
    'axios (%s adapter): no redirect hop to another origin carries a credential',
    async (adapter) => {
      attacker = await startAttacker();
      auth = createWitboostAuth({ baseUrl: wb.url, accessToken: wb.issueAccessToken(), mode });
      const client = createWitboostAxios({ auth, adapter });
      for (const status of STATUSES) {
        for (const url of redirectsTo(status)) await client.get(url);
      }
      expect(attacker.hits).toHaveLength(STATUSES.length * 3);
      expect(credentialed(attacker.hits)).toEqual([]);
    },
  );
});
