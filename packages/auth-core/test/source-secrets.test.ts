import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import {
  createWitboostAuth,
  fromFile,
  fromFunction,
  redactToken,
  type WitboostAuth,
  WitboostAuthError,
  type WitboostAuthEvent,
  type WitboostAuthOptions,
} from '@wb/auth-core';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let wb: WitboostMock;
let instances: WitboostAuth[] = [];

beforeEach(async () => {
  wb = await startWitboostMock({ port: 0 });
});

afterEach(async () => {
  await Promise.all(instances.map((auth) => auth.close()));
  instances = [];
  await wb.close();
});

/** An instance whose events and log lines are kept, to be searched for secrets. */
function observed(options: Partial<WitboostAuthOptions>) {
  const events: WitboostAuthEvent[] = [];
  const lines: string[] = [];
  const log = (level: string) => (obj: object, msg?: string) =>
    lines.push(`${level} ${msg ?? ''} ${JSON.stringify(obj)} ${inspect(obj, { depth: 10 })}`);
  const auth = createWitboostAuth({
    baseUrl: wb.url,
    onEvent: (event) => events.push(event),
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    ...options,
  });
  instances.push(auth);
  return { auth, events, lines };
}

async function rejection(promise: Promise<unknown>): Promise<WitboostAuthError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(WitboostAuthError);
  return error as WitboostAuthError;
}

/** Every way the error, the events and the log lines can be printed. */
function everything(error: Error, events: WitboostAuthEvent[], lines: string[]): string {
  return [
    error.message,
    String(error),
    JSON.stringify(error),
    inspect(error, { showHidden: true, depth: Number.POSITIVE_INFINITY }),
    ...events.map((event) => `${JSON.stringify(event)} ${inspect(event, { depth: 10 })}`),
    ...lines,
  ].join('\n');
}

/**
 * Fails when any 12 characters of the token's body, or of the base64 of `witboost:<token>` past
 * its public `witboost:` prefix, appear, whitespace ignored (a split token still reads whole).
 */
function expectNoTrace(text: string, token: string): void {
  const core = token.slice('wbat-'.length);
  const basic = Buffer.from(`witboost:${token}`).toString('base64').slice(12);
  const flat = text.replace(/\s+/g, '');
  for (const form of [core, basic]) {
    for (let i = 0; i + 12 <= form.length; i++) {
      const piece = form.slice(i, i + 12);
      if (flat.includes(piece)) throw new Error(`"${piece}" of the token leaked in: ${text}`);
    }
  }
}

describe('a failing token source never reveals the access token it gave before', () => {
  const quotes: Array<[string, (token: string) => string]> = [
    ['whole', (token) => `vault: stale value ${token}`],
    ['without its wbat- prefix', (token) => `vault: stale value ${token.slice(5)}`],
    [
      'as base64 of witboost:<token>',
      (token) => `header ${Buffer.from(`witboost:${token}`).toString('base64')}`,
    ],
    ['JSON-escaped', (token) => `body ${JSON.stringify({ value: token.slice(5) })}`],
    ['split by whitespace', (token) => `was ${token.slice(0, 20)} ${token.slice(20)} then`],
  ];

  it.each(quotes)('quoted %s', async (_form, quote) => {
    const token = wb.issueAccessToken();
    let calls = 0;
    const { auth, events, lines } = observed({
      accessToken: fromFunction(async () => {
        if (calls++ === 0) return token;
        throw new Error(quote(token), { cause: new Error(`inner ${quote(token)}`) });
      }),
    });
    const jwt = await auth.getToken();
    auth.invalidate(`Bearer ${jwt}`);
    const error = await rejection(auth.getToken());
    expect(error.code).toBe('token_source_failed');
    expect(error.message).toContain('access token source "function" failed');
    const text = everything(error, events, lines);
    expect(text).not.toContain(token);
    expectNoTrace(text, token);
  });
});

describe('an unknown access token in a source failure', () => {
  it('is redacted as base64 of witboost:<token> without a Basic prefix, also in JSON', async () => {
    const token = 'wbat-Q2hvb3NlQVNlY3JldFRva2VuVmFsdWVYWVo';
    const basic = Buffer.from(`witboost:${token}`).toString('base64');
    const { auth, events, lines } = observed({
      baseUrl: 'http://127.0.0.1:9',
      accessToken: fromFunction(async () => {
        throw new Error(`vault said ${JSON.stringify({ authorization: basic })} and ${basic}`);
      }),
    });
    const error = await rejection(auth.getToken());
    expect(error.code).toBe('token_source_failed');
    const text = everything(error, events, lines);
    expect(text).not.toContain(basic.slice(12, 24));
    expectNoTrace(text, token);
  });
});

describe('fromFile rotation', () => {
  it('the next exchange uses a token written just before it (default checkIntervalMs)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wb-auth-core-'));
    try {
      const file = join(dir, 'token');
      const first = wb.issueAccessToken({ subject: 'service-account:rotating' });
      await writeFile(file, `${first}\n`);
      const { auth, events } = observed({ accessToken: fromFile(file) });
      const jwt1 = await auth.getToken();

      // Regenerating revokes the old token: only the new file content can be exchanged. A scope
      // never exchanged before forces an exchange without a 401 (or invalidate()) to re-read first.
      const second = wb.issueAccessToken({ subject: 'service-account:rotating' });
      await writeFile(file, `${second}\n`);
      const jwt2 = await auth.getToken({ scope: 'service:computational-governance' });
      expect(jwt2).not.toBe(jwt1);
      expect(wb.stats.exchanges.byAccessToken).toEqual({
        [redactToken(first)]: 1,
        [redactToken(second)]: 1,
      });
      expect(events.filter((event) => event.type === 'exchange_failed')).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
