import { describe, expect, test } from 'vitest';
import { createWitboostAuth } from './create-witboost-auth.js';
import { isWitboostAuthError } from './errors.js';
import { toWitboostLogger } from './logger-adapter.js';
import type { MessageLogger } from './types.js';

function recorder(methods: string[]) {
  const calls: unknown[][] = [];
  const logger = Object.fromEntries(
    methods.map((name) => [name, (...args: unknown[]) => calls.push([name, ...args])]),
  );
  return { logger, calls };
}

describe('toWitboostLogger', () => {
  test('a pino-compatible logger gets (fields, message), `this` kept', () => {
    const seen: unknown[] = [];
    const pinoLike = {
      name: 'p',
      debug(fields: object, message: string) {
        seen.push([this.name, fields, message]);
      },
      info() {},
      warn() {},
      error() {},
    };
    toWitboostLogger(pinoLike)?.debug({ type: 'exchange' }, 'hello');
    expect(seen).toEqual([['p', { type: 'exchange' }, 'hello']]);
  });

  test('a NestJS LoggerService gets one line per event, debug at verbose, info at log', () => {
    const { logger, calls } = recorder(['log', 'warn', 'error', 'debug', 'verbose']);
    const adapted = toWitboostLogger(logger);
    adapted?.debug({ type: 'cache_lookup' }, 'lookup');
    adapted?.info({ type: 'invalidated', scope: 'x' }, 'dropped');
    adapted?.warn({ type: 'clock_warning' }, 'clock');
    adapted?.error({ type: 'exchange_failed' }, 'failed');
    expect(calls).toEqual([
      ['verbose', 'lookup {"type":"cache_lookup"}'],
      ['log', 'dropped {"type":"invalidated","scope":"x"}'],
      ['warn', 'clock {"type":"clock_warning"}'],
      ['error', 'failed {"type":"exchange_failed"}'],
    ]);
  });

  test('debug and verbose are optional; minLevel drops lower lines', () => {
    const { logger, calls } = recorder(['log', 'warn', 'error']);
    toWitboostLogger(logger)?.debug({}, 'dropped: no method');
    const quiet = recorder(['log', 'warn', 'error', 'debug', 'verbose']);
    const adapted = toWitboostLogger(quiet.logger, { minLevel: 'info' });
    adapted?.debug({}, 'dropped: below info');
    adapted?.info({}, 'kept');
    expect(calls).toEqual([]);
    expect(quiet.calls).toEqual([['log', 'kept {}']]);
  });

  test('undefined stays undefined; anything else is invalid_options', () => {
    expect(toWitboostLogger(undefined)).toBeUndefined();
    for (const bad of [null, 42, {}, { log() {} }]) {
      let thrown: unknown;
      try {
        toWitboostLogger(bad);
      } catch (error) {
        thrown = error;
      }
      expect(isWitboostAuthError(thrown) && thrown.code).toBe('invalid_options');
    }
  });
});

describe('createWitboostAuth({ logger })', () => {
  test('takes a NestJS Logger as it is: a failed exchange is one error line, no secret', async () => {
    const { logger, calls } = recorder(['log', 'warn', 'error', 'debug', 'verbose']);
    const accessToken = 'wbat-nest-logger-test-0123456789abcdef';
    const auth = createWitboostAuth({
      baseUrl: 'https://witboost.example.com',
      accessToken,
      logger: logger as unknown as MessageLogger,
      fetch: async () => new Response('{"message":"nope"}', { status: 401 }),
    });
    await expect(auth.getToken()).rejects.toMatchObject({ code: 'access_token_rejected' });
    await auth.close();
    const errors = calls.filter(([level]) => level === 'error');
    expect(errors).toHaveLength(1);
    expect(String(errors[0]?.[1])).toMatch(
      /^witboost: JWT exchange failed \{.*access_token_rejected/,
    );
    expect(JSON.stringify(calls)).not.toContain(accessToken.slice(5));
  });
});
