// The leak hunt is only as good as its detector: these prove it flags what it must and only that.
import { basicAuthorization, redactToken } from '@wb/auth-core';
import { describe, expect, it } from 'vitest';
import { createLeakCapture } from './support/capture.js';
import { fakeJwt } from './support/jwt.js';

const token = 'wbat-AbCdEfGhIjKlMnOpQrStUvWxYz012345678';
const jwt = fakeJwt({ sub: 'x', iat: 1, exp: 2 });

describe('leak capture', () => {
  it.each([
    [
      'a registered access token in a log line',
      (c: ReturnType<typeof createLeakCapture>) => c.logger.info({ token }, 'x'),
    ],
    [
      'an unregistered access token in an error',
      (c: ReturnType<typeof createLeakCapture>) =>
        c.error('e', new Error(`bad wbat-${'Z'.repeat(35)}`)),
    ],
    [
      'a JWT in an event',
      (c: ReturnType<typeof createLeakCapture>) =>
        c.onEvent({ type: 'replay_after_401', url: `/x?${jwt}`, method: 'GET' }),
    ],
    [
      'a JWT deep in an object',
      (c: ReturnType<typeof createLeakCapture>) => c.object('o', { a: { b: { c: { d: jwt } } } }),
    ],
    [
      'the Basic encoding of a registered token',
      (c: ReturnType<typeof createLeakCapture>) => c.text('t', basicAuthorization(token)),
    ],
    [
      'a JWT in an error cause',
      (c: ReturnType<typeof createLeakCapture>) =>
        c.error('e', new Error('outer', { cause: new Error(jwt) })),
    ],
  ])('flags %s', (_, produce) => {
    const capture = createLeakCapture();
    capture.secret(token);
    produce(capture);
    expect(capture.leaks()).not.toEqual([]);
    // The report shows where, not the secret itself.
    expect(JSON.stringify(capture.leaks())).not.toContain(token);
  });

  it('accepts redacted forms and ordinary text', () => {
    const capture = createLeakCapture();
    capture.secret(token);
    capture.logger.warn({ token: redactToken(token), jwt: redactToken(jwt) }, 'redacted');
    capture.text('t', 'Bearer [redacted] eyJ…(jwt) wbat-…5678');
    capture.object('o', { circular: undefined, n: 1 });
    expect(capture.leaks()).toEqual([]);
    expect(capture.logLines).toBe(1);
  });
});
