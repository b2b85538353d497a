import { request } from 'node:http';
import { parse as legacyParse } from 'node:url';
import { type AuthMode, createWitboostAuth, type WitboostAuth } from '@wb/auth-core';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type AttackerServer,
  closeAttackers,
  credentialed,
  startAttacker,
} from './support/servers.js';

/**
 * URL confusion: every input that the WHATWG parser sends elsewhere, or that a legacy
 * `url.parse` client would send elsewhere, must get no credential. `A` is the attacker's
 * `host:port`, `W` Witboost's.
 */
const CONFUSING = [
  'http://A/x',
  'HTTP://A/x',
  '//A/x',
  '\\\\A/x',
  '/\\A/x',
  '\\/A/x',
  ' //A/x',
  '/\t/A/x',
  '\n//A/x',
  'http://W@A/x',
  'http://W:pw@A/x',
  'http://A#@W/x',
  'http://A?@W/x',
  'http://A\\@W/x',
  'http:A/x',
  'https://W/x',
  'ws://W/x',
  'javascript://W/%0aalert(1)',
];

/** Names a scheme and a host, but the WHATWG parser rejects it (issue 12, item 1). */
const INVALID_ABSOLUTE = [
  '1http://A/x',
  '\u00a0http://A/x',
  '\ufeffhttp://A/x',
  'http://[127.0.0.1]:PORT/x',
  'http://A:99999/x',
  'http://A:1:2/x',
  'http://ev<il.example/x',
  'http://ev il.example/x',
  'HTTP://A:99999',
  'a+b://A:99999/x',
  'http://A:99999\\@W/x',
  ' http://A:70000/x',
];

let wb: WitboostMock;
let attacker: AttackerServer;
const instances: WitboostAuth[] = [];

beforeAll(async () => {
  wb = await startWitboostMock({ port: 0, basicAuth: true });
});
afterAll(async () => {
  await wb.close();
});
afterEach(async () => {
  await Promise.all(instances.splice(0).map((auth) => auth.close()));
  await closeAttackers();
});

function authFor(mode: AuthMode): WitboostAuth {
  const auth = createWitboostAuth({
    baseUrl: `${wb.url}/`,
    accessToken: wb.issueAccessToken(),
    mode,
  });
  instances.push(auth);
  return auth;
}

function fill(form: string): string {
  const witboost = new URL(wb.url).host;
  const port = attacker.host.split(':')[1] as string;
  return form.replaceAll('PORT', port).replaceAll('A', attacker.host).replaceAll('W', witboost);
}

/** A client built on the legacy `url.parse`, as superagent and older code are. */
async function legacyGet(auth: WitboostAuth, input: string): Promise<void> {
  const authorization = await auth.authorizationFor(input);
  const target = legacyParse(input);
  const witboost = new URL(wb.url);
  const hostname = target.hostname || witboost.hostname;
  const port = target.port || (target.hostname ? '80' : witboost.port);
  await new Promise<void>((resolve) => {
    try {
      const req = request(
        {
          hostname,
          port,
          path: target.path ?? '/',
          headers: authorization ? { authorization } : {},
        },
        (res) => res.resume().on('end', resolve),
      );
      req.on('error', () => resolve());
      req.end();
    } catch {
      resolve(); // a port the legacy parser accepts but Node cannot dial
    }
  });
}

describe.each(['bearer', 'basic'] as const)('URL confusion in %s mode', (mode) => {
  it.each(CONFUSING)(
    '%j gets no credential from authorizationFor, isWitboostUrl or scopeFor',
    async (form) => {
      attacker = await startAttacker();
      const auth = authFor(mode);
      const input = fill(form);
      await expect(auth.authorizationFor(input)).resolves.toBeUndefined();
      expect(auth.isWitboostUrl(input)).toBe(false);
      expect(auth.scopeFor(input)).toBeUndefined();
      // The control: Witboost itself does get one.
      await expect(auth.authorizationFor('/api/catalog/entities')).resolves.toMatch(
        /^(Bearer|Basic) /,
      );
    },
  );

  it.each(INVALID_ABSOLUTE)('%j (invalid, names a host) gets no credential', async (form) => {
    attacker = await startAttacker();
    const auth = authFor(mode);
    const input = fill(form);
    expect(URL.canParse(input)).toBe(false);
    await expect(auth.authorizationFor(input)).resolves.toBeUndefined();
    expect(auth.isWitboostUrl(input)).toBe(false);
  });

  it('a legacy url.parse client never sends a credential to the host it reads', async () => {
    attacker = await startAttacker();
    const auth = authFor(mode);
    for (const form of [...CONFUSING, ...INVALID_ABSOLUTE]) await legacyGet(auth, fill(form));
    expect(attacker.hits.length).toBeGreaterThan(4);
    expect(credentialed(attacker.hits)).toEqual([]);
  });

  it('auth.fetch sends no credential to any of them over real HTTP', async () => {
    attacker = await startAttacker();
    const auth = authFor(mode);
    for (const form of [...CONFUSING, ...INVALID_ABSOLUTE]) {
      await auth.fetch(fill(form)).then(
        (response) => response.body?.cancel(),
        () => undefined,
      );
    }
    expect(attacker.hits.length).toBeGreaterThan(4);
    expect(credentialed(attacker.hits)).toEqual([]);
  });
});

describe('plain http', () => {
  it.each([
    'http://witboost.localhost:7007',
    'http://a.b.localhost',
    'http://10.0.0.1',
    'http://[::ffff:10.0.0.1]',
    'http://localhost.example.com',
  ])('is refused for %s without allowInsecureHttp', (baseUrl) => {
    expect(() => createWitboostAuth({ baseUrl, accessToken: 'wbat-x' })).toThrow(
      /allowInsecureHttp/,
    );
    expect(() =>
      createWitboostAuth({
        baseUrl: 'https://witboost.example.com',
        origins: [baseUrl],
        accessToken: 'wbat-x',
      }),
    ).toThrow(/allowInsecureHttp/);
  });

  it.each(['http://localhost:7007', 'http://127.0.0.1', 'http://127.5.6.7:1', 'http://[::1]:9'])(
    'is allowed for the loopback %s',
    async (baseUrl) => {
      const auth = createWitboostAuth({ baseUrl, accessToken: 'wbat-x' });
      await auth.close();
    },
  );
});
