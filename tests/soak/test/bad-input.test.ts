// Cross-adapter bad-input catalogue: each row is an input through a public API and the error
// code (in-process) or HTTP status + code (through an adapter's error mapper) it must produce,
// with no secret in anything it produced. Core's own option-by-option table lives in
// packages/auth-core; here each bad option goes through every adapter that accepts core options.
import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { attachWitboostAuth, createWitboostAxios } from '@wb/auth-axios';
import {
  createWitboostAuth,
  fromEnv,
  type RefreshOptions,
  type WitboostAuthOptions,
} from '@wb/auth-core';
import { witboostAuth as expressWitboostAuth } from '@wb/auth-express';
import { witboostAuth as koaWitboostAuth } from '@wb/auth-koa';
import { WitboostAuthModule } from '@wb/auth-nestjs';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import axios from 'axios';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLeakCapture } from './support/capture.js';
import { fakeJwt } from './support/jwt.js';
import { constructors, type Outcome, outcomeOf, requestPaths } from './support/paths.js';
import { sniffingFetch } from './support/soak.js';

const capture = createLeakCapture();
let wb: WitboostMock;
let token: string;
const savedEnv = process.env.WITBOOST_ACCESS_TOKEN;

beforeAll(async () => {
  // The default source reads this variable: the catalogue's "missing" rows need it unset.
  delete process.env.WITBOOST_ACCESS_TOKEN;
  wb = await startWitboostMock({ port: 0 });
  token = wb.issueAccessToken();
  capture.secret(token);
});
afterEach(() => {
  wb.faults.reset();
});
afterAll(async () => {
  if (savedEnv !== undefined) process.env.WITBOOST_ACCESS_TOKEN = savedEnv;
  await wb.close();
});

/** Options for a row: the emulator's URL and a valid token unless the row overrides them. */
const base = (): WitboostAuthOptions => ({
  baseUrl: wb.url,
  accessToken: token,
  fetch: sniffingFetch(capture),
  logger: capture.logger,
  onEvent: capture.onEvent,
});

type OptionRow = [label: string, options: () => Record<string, unknown>, code: string];

const optionRows: OptionRow[] = [
  ['no options at all', () => ({}), 'invalid_options'],
  ['missing baseUrl', () => ({ ...base(), baseUrl: undefined }), 'invalid_options'],
  ['relative baseUrl', () => ({ ...base(), baseUrl: '/witboost' }), 'invalid_options'],
  ['ftp baseUrl', () => ({ ...base(), baseUrl: 'ftp://witboost.example.com' }), 'invalid_options'],
  [
    'http to a non-loopback host',
    () => ({ ...base(), baseUrl: 'http://witboost.example.com' }),
    'invalid_options',
  ],
  [
    'credentials in baseUrl',
    () => ({ ...base(), baseUrl: `https://${token}@witboost.example.com` }),
    'invalid_options',
  ],
  ['the access token as baseUrl', () => ({ ...base(), baseUrl: token }), 'invalid_options'],
  [
    'query in baseUrl',
    () => ({ ...base(), baseUrl: `https://witboost.example.com/?t=${token}` }),
    'invalid_options',
  ],
  ['unknown mode', () => ({ ...base(), mode: 'digest' }), 'invalid_options'],
  ['the access token as mode', () => ({ ...base(), mode: token }), 'invalid_options'],
  ['durationSeconds 0', () => ({ ...base(), durationSeconds: 0 }), 'invalid_options'],
  ['fractional durationSeconds', () => ({ ...base(), durationSeconds: 2.5 }), 'invalid_options'],
  ['durationSeconds as a string', () => ({ ...base(), durationSeconds: '300' }), 'invalid_options'],
  ['absurd durationSeconds', () => ({ ...base(), durationSeconds: 1e12 }), 'invalid_options'],
  ['refreshAtRatio 1', () => ({ ...base(), refresh: { refreshAtRatio: 1 } }), 'invalid_options'],
  [
    'refresh after expiry',
    () => ({ ...base(), refresh: { refreshAtRatio: 0.9, jitterRatio: 0.2 } }),
    'invalid_options',
  ],
  [
    'maxBackoffMs below initialBackoffMs',
    () => ({ ...base(), refresh: { initialBackoffMs: 100, maxBackoffMs: 10 } }),
    'invalid_options',
  ],
  ['maxAttempts 0', () => ({ ...base(), refresh: { maxAttempts: 0 } }), 'invalid_options'],
  [
    'NaN exchangeTimeoutMs',
    () => ({ ...base(), refresh: { exchangeTimeoutMs: Number.NaN } }),
    'invalid_options',
  ],
  [
    'unknown refresh option',
    () => ({ ...base(), refresh: { refreshEvery: 1000 } }),
    'invalid_options',
  ],
  ['refresh not an object', () => ({ ...base(), refresh: 5 }), 'invalid_options'],
  [
    'origins not an array',
    () => ({ ...base(), origins: 'https://cg.example.com' }),
    'invalid_options',
  ],
  [
    'origin over insecure http',
    () => ({ ...base(), origins: ['http://cg.example.com'] }),
    'invalid_options',
  ],
  [
    'origin with a bad scope',
    () => ({ ...base(), origins: [{ url: 'https://cg.example.com', scope: 42 }] }),
    'invalid_options',
  ],
  [
    'scope rule without a leading slash',
    () => ({ ...base(), scopes: [{ pathPrefix: 'api', scope: 'x' }] }),
    'invalid_options',
  ],
  [
    'scope rule for an unlisted origin',
    () => ({
      ...base(),
      scopes: [{ pathPrefix: '/api', scope: 'x', origin: 'https://other.example.com' }],
    }),
    'invalid_options',
  ],
  ['logger without methods', () => ({ ...base(), logger: {} }), 'invalid_options'],
  ['onEvent not a function', () => ({ ...base(), onEvent: 'log' }), 'invalid_options'],
  ['fetch not a function', () => ({ ...base(), fetch: 42 }), 'invalid_options'],
  ['principal unknown', () => ({ ...base(), principal: 'admin' }), 'invalid_options'],
  ['keepWarm not a boolean', () => ({ ...base(), keepWarm: 'yes' }), 'invalid_options'],
  [
    'allowInsecureHttp not a boolean',
    () => ({ ...base(), allowInsecureHttp: 'yes' }),
    'invalid_options',
  ],
  [
    'accessToken absent and env var unset',
    () => ({ ...base(), accessToken: undefined }),
    'missing_access_token',
  ],
  ['blank accessToken', () => ({ ...base(), accessToken: '   ' }), 'missing_access_token'],
  [
    'fromEnv of an unset variable',
    () => ({ ...base(), accessToken: fromEnv('WB_SOAK_UNSET_VARIABLE') }),
    'missing_access_token',
  ],
  [
    'accessToken with a space',
    () => ({ ...base(), accessToken: `${token} ${token}` }),
    'invalid_access_token',
  ],
  [
    'accessToken with a newline',
    () => ({ ...base(), accessToken: `${token}\r\nx-evil: 1` }),
    'invalid_access_token',
  ],
  [
    'absurdly long accessToken',
    () => ({ ...base(), accessToken: token.repeat(200) }),
    'invalid_access_token',
  ],
  ['accessToken a number', () => ({ ...base(), accessToken: 42 }), 'invalid_options'],
  ['accessToken null', () => ({ ...base(), accessToken: null }), 'invalid_options'],
  [
    'accessToken source without getAccessToken',
    () => ({ ...base(), accessToken: { description: 'x' } }),
    'invalid_options',
  ],
];

function expectCode(outcome: Outcome, code: string): void {
  expect(outcome).toMatchObject({ kind: 'error', code, name: 'WitboostAuthError' });
}

describe.each(Object.entries(constructors))('bad options through %s', (entry, construct) => {
  it.each(optionRows.map(([label, options, code]) => ({ label, options, code })))(
    '$label → $code',
    async ({ label, options, code }) => {
      const outcome = await outcomeOf(
        async () => {
          const close = await construct(options() as unknown as WitboostAuthOptions);
          await close();
        },
        capture,
        `${entry}/${label}`,
      );
      expectCode(outcome, code);
    },
  );
});

describe('bad adapter options', () => {
  const opened: Array<{ close(): Promise<void> }> = [];
  const auth = () => {
    const instance = createWitboostAuth(base());
    opened.push(instance);
    return instance;
  };
  afterAll(() => Promise.all(opened.map((instance) => instance.close())));
  const rows: [string, () => unknown, string][] = [
    [
      'express: auth is not a WitboostAuth',
      () => expressWitboostAuth({ auth: {} as never }),
      'invalid_options',
    ],
    [
      'express: maxIdentities 0',
      () => expressWitboostAuth({ ...base(), maxIdentities: 0 }),
      'invalid_options',
    ],
    [
      'express: negative identityIdleTimeoutMs',
      () => expressWitboostAuth({ ...base(), identityIdleTimeoutMs: -1 }),
      'invalid_options',
    ],
    [
      'express: maxAccessTokenLength 0',
      () => expressWitboostAuth({ auth: auth(), maxAccessTokenLength: 0 }),
      'invalid_options',
    ],
    [
      'koa: auth is not a WitboostAuth',
      () => koaWitboostAuth({ auth: {} as never }),
      'invalid_options',
    ],
    [
      'koa: maxIdentities 0',
      () => koaWitboostAuth({ ...base(), maxIdentities: 0 }),
      'invalid_options',
    ],
    [
      'koa: negative identityIdleTimeoutMs',
      () => koaWitboostAuth({ ...base(), identityIdleTimeoutMs: -1 }),
      'invalid_options',
    ],
    [
      'koa: maxAccessTokenLength 0',
      () => koaWitboostAuth({ auth: auth(), maxAccessTokenLength: 0 }),
      'invalid_options',
    ],
    [
      'express: identity not a function',
      () => expressWitboostAuth({ ...base(), identity: 'x' as never }),
      'invalid_options',
    ],
    ['express: no options', () => expressWitboostAuth(undefined as never), 'invalid_options'],
    [
      'express: neither auth nor baseUrl',
      () => expressWitboostAuth({ identity: () => undefined } as never),
      'invalid_options',
    ],
    [
      'express: auth with core options it would ignore',
      () => expressWitboostAuth({ auth: auth(), accessToken: token } as never),
      'invalid_options',
    ],
    [
      'koa: identity not a function',
      () => koaWitboostAuth({ ...base(), identity: 'x' as never }),
      'invalid_options',
    ],
    ['koa: no options', () => koaWitboostAuth(undefined as never), 'invalid_options'],
    [
      'koa: neither auth nor baseUrl',
      () => koaWitboostAuth({ identity: () => undefined } as never),
      'invalid_options',
    ],
    [
      'koa: auth with core options it would ignore',
      () => koaWitboostAuth({ auth: auth(), accessToken: token } as never),
      'invalid_options',
    ],
    [
      'axios: attach to a non-instance',
      () => attachWitboostAuth({} as never, auth()),
      'invalid_options',
    ],
    [
      'axios: attach a non-WitboostAuth',
      () => attachWitboostAuth(axios.create(), {} as never),
      'invalid_options',
    ],
    [
      'axios: createWitboostAxios without auth',
      () => createWitboostAxios({} as never),
      'invalid_options',
    ],
    [
      'nestjs: forRoot without options',
      () => WitboostAuthModule.forRoot(undefined as never),
      'invalid_options',
    ],
    [
      'nestjs: httpService not a boolean',
      () => WitboostAuthModule.forRoot({ ...base(), httpService: 'yes' as never }),
      'invalid_options',
    ],
    [
      'nestjs: forRootAsync factory returning nothing',
      () =>
        Test.createTestingModule({
          imports: [WitboostAuthModule.forRootAsync({ useFactory: () => undefined as never })],
        })
          .setLogger({ log() {}, error() {}, warn() {} })
          .compile(),
      'invalid_options',
    ],
    [
      'nestjs: forRootAsync factory without baseUrl',
      () =>
        Test.createTestingModule({
          imports: [
            WitboostAuthModule.forRootAsync({
              useFactory: () => ({ accessToken: token }) as never,
            }),
          ],
        })
          .setLogger({ log() {}, error() {}, warn() {} })
          .compile(),
      'invalid_options',
    ],
  ];
  it.each(rows)('%s → %s', async (label, act, code) => {
    const outcome = await outcomeOf(async () => act(), capture, `adapter options/${label}`);
    expectCode(outcome, code);
  });
});

/** How the exchange endpoint misbehaves for a row (the emulator answers the next exchange so). */
type Misbehaviour = (wb: WitboostMock) => void;

interface ExchangeRow {
  label: string;
  misbehave: Misbehaviour;
  code: string;
  /** Status the Express/Koa/Nest mappers answer for the service identity. */
  status: number;
  retryAfter?: string;
  /**
   * The emulator takes a queued fault only once its latency has elapsed: a slow exchange the
   * client gave up on must be answered before the next row queues its fault.
   */
  awaitAbandonedExchange?: boolean;
  /** Refresh options of the row, over the strict ones. */
  refresh?: RefreshOptions;
}

const ok200 =
  (body: unknown): Misbehaviour =>
  (mock) =>
    mock.faults.failNextExchanges(1, { status: 200, body });
const now = () => Math.floor(Date.now() / 1000);

const exchangeRows = (): ExchangeRow[] => [
  {
    label: '200 with a text body',
    misbehave: ok200('not json at all'),
    code: 'invalid_exchange_response',
    status: 502,
  },
  {
    label: '200 with an empty object',
    misbehave: ok200({}),
    code: 'invalid_exchange_response',
    status: 502,
  },
  {
    label: '200 with a numeric jwt',
    misbehave: ok200({ jwt: 42 }),
    code: 'invalid_exchange_response',
    status: 502,
  },
  {
    label: '200 with an empty jwt',
    misbehave: ok200({ jwt: '' }),
    code: 'invalid_exchange_response',
    status: 502,
  },
  {
    label: '200 with a two-segment jwt',
    misbehave: ok200({ jwt: 'eyJhbGciOiJFUzI1NiJ9.eyJleHAiOjF9' }),
    code: 'invalid_exchange_response',
    status: 502,
  },
  {
    label: '200 with a jwt whose payload is not JSON',
    misbehave: ok200({ jwt: 'eyJhbGciOiJFUzI1NiJ9.bm90LWpzb24.c2ln' }),
    code: 'invalid_exchange_response',
    status: 502,
  },
  {
    label: '200 with a jwt without exp',
    misbehave: ok200({ jwt: fakeJwt({ sub: 'x', iat: now() }) }),
    code: 'invalid_exchange_response',
    status: 502,
  },
  {
    label: '200 with a jwt whose exp is a string',
    misbehave: ok200({ jwt: fakeJwt({ iat: now(), exp: 'soon' }) }),
    code: 'invalid_exchange_response',
    status: 502,
  },
  {
    label: '200 with a jwt expiring before it was issued',
    misbehave: ok200({ jwt: fakeJwt({ iat: now(), exp: now() - 10 }) }),
    code: 'invalid_exchange_response',
    status: 502,
  },
  {
    label: '200 with a jwt in an array',
    misbehave: ok200([{ jwt: fakeJwt({ exp: now() + 60 }) }]),
    code: 'invalid_exchange_response',
    status: 502,
  },
  {
    label: '400 echoing the access token',
    // Every answer a 400: core halves the duration on a 400 (300, 150, 75, 37 s) before failing.
    misbehave: (mock) =>
      mock.faults.failNextExchanges(10, {
        status: 400,
        body: { error: { message: `bad access_token ${token}` } },
      }),
    code: 'exchange_bad_request',
    status: 502,
  },
  {
    label: '401',
    misbehave: (mock) => mock.faults.failNextExchanges(1, { status: 401 }),
    code: 'access_token_rejected',
    status: 502,
  },
  {
    label: '403',
    misbehave: (mock) => mock.faults.failNextExchanges(1, { status: 403 }),
    code: 'access_token_rejected',
    status: 502,
  },
  {
    label: 'revoked access token',
    misbehave: (mock) => mock.revoke(token),
    code: 'access_token_rejected',
    status: 502,
  },
  {
    label: '429 with Retry-After 7',
    misbehave: (mock) => mock.faults.failNextExchanges(1, { status: 429, retryAfterSeconds: 7 }),
    code: 'rate_limited',
    status: 503,
    retryAfter: '7',
  },
  {
    label: '500 quoting a JWT',
    misbehave: (mock) =>
      mock.faults.failNextExchanges(1, {
        status: 500,
        body: { message: `upstream said ${fakeJwt({ exp: now() + 60 })}` },
      }),
    code: 'server_error',
    status: 502,
  },
  {
    label: '503 with a text body',
    misbehave: (mock) => mock.faults.failNextExchanges(1, { status: 503, body: `down, ${token}` }),
    code: 'server_error',
    status: 502,
  },
  {
    label: '302 redirect',
    misbehave: (mock) =>
      mock.faults.failNextExchanges(1, {
        status: 302,
        headers: { location: 'https://elsewhere.example.com/' },
      }),
    code: 'server_error',
    status: 502,
  },
  {
    label: 'dropped connection',
    misbehave: (mock) => mock.faults.dropNextExchanges(1),
    code: 'network_error',
    status: 503,
  },
  {
    label: 'answer slower than exchangeTimeoutMs',
    misbehave: (mock) => mock.faults.setExchangeLatency(700),
    code: 'timeout',
    status: 503,
    refresh: { exchangeTimeoutMs: 300 },
    awaitAbandonedExchange: true,
  },
];

/** One attempt, no cooldown: each row's misbehaviour answers the only exchange. */
const strict = (refresh: RefreshOptions = {}): WitboostAuthOptions => ({
  ...base(),
  refresh: { maxAttempts: 1, rejectionCooldownMs: 0, ...refresh },
});

async function untilAnswered(okBefore: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (wb.stats.exchanges.ok <= okBefore && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(Object.entries(requestPaths))(
  'exchange misbehaviour through %s',
  (entry, request) => {
    it.each(exchangeRows().map((row) => row.label))('%s', async (label) => {
      // A fresh token per row (the revoked-token row spends its own); rows are rebuilt so that
      // bodies quoting the token quote this one.
      token = wb.issueAccessToken({ subject: 'service-account:catalogue' });
      capture.secret(token);
      const fresh = exchangeRows().find((r) => r.label === label);
      if (fresh === undefined) throw new Error(`no row ${label}`);
      const okBefore = wb.stats.exchanges.ok;
      fresh.misbehave(wb);
      const outcome = await request(strict(fresh.refresh), capture, `${entry}/${label}`);
      if (fresh.awaitAbandonedExchange === true) await untilAnswered(okBefore);
      if (outcome.kind === 'http') {
        expect(outcome).toMatchObject({ status: fresh.status, code: fresh.code });
        if (fresh.retryAfter !== undefined) expect(outcome.retryAfter).toBe(fresh.retryAfter);
      } else if (entry.startsWith('axios')) {
        expect(outcome).toMatchObject({ kind: 'error', code: `ERR_WITBOOST_AUTH/${fresh.code}` });
      } else {
        expectCode(outcome, fresh.code);
      }
    });
  },
);

interface CallerRow {
  label: string;
  /** The caller's token as sent in the header; may be issued, revoked or fabricated. */
  callerToken: () => string;
  code: string;
  status: number;
}

const callerRows: CallerRow[] = [
  { label: 'empty caller token', callerToken: () => '', code: 'invalid_access_token', status: 401 },
  {
    label: 'absurdly long caller token',
    callerToken: () => 'wbat-'.padEnd(5_000, 'A'),
    code: 'invalid_access_token',
    status: 401,
  },
  {
    label: 'caller token with a tab inside',
    callerToken: () => `${wb.issueAccessToken()}\tmore`,
    code: 'invalid_access_token',
    status: 401,
  },
  {
    label: 'caller token never issued',
    callerToken: () => 'wbat-NeverIssuedNeverIssuedNeverIssued00',
    code: 'access_token_rejected',
    status: 401,
  },
  {
    label: 'revoked caller token',
    callerToken: () => {
      const revoked = wb.issueAccessToken();
      wb.revoke(revoked);
      return revoked;
    },
    code: 'access_token_rejected',
    status: 401,
  },
  {
    label: 'caller token whose exchange answers garbage',
    callerToken: () => {
      wb.faults.failNextExchanges(1, { status: 200, body: { jwt: 'garbage' } });
      return wb.issueAccessToken();
    },
    code: 'invalid_exchange_response',
    status: 502,
  },
];

const callerPaths = Object.entries(requestPaths).filter(
  ([entry]) => entry.startsWith('express') || entry.startsWith('koa'),
);

describe.each(callerPaths)('caller tokens through %s', (entry, request) => {
  it.each(callerRows.map((row) => ({ ...row })))('$label → $status $code', async (row) => {
    const callerToken = row.callerToken();
    capture.secret(callerToken);
    const outcome = await request(strict(), capture, `${entry}/${row.label}`, callerToken);
    expect(outcome).toMatchObject({ kind: 'http', status: row.status, code: row.code });
  });
});

// Must stay last: everything the rows above produced, checked at once.
it('no access token or JWT in anything the catalogue produced', () => {
  expect(capture.size).toBeGreaterThan(1_000);
  expect(capture.events.length).toBeGreaterThan(0);
  expect(capture.leaks()).toEqual([]);
});
