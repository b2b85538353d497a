import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import {
  isReplayableBody,
  redirectKeepsCredentials,
  stripCredentialHeaders,
} from './http-rules.js';

describe('redirectKeepsCredentials', () => {
  const from = 'https://wb.example.com/api/x';

  test.each([
    ['a subdomain', 'https://evil.wb.example.com/x'],
    ['another host', 'https://wcg.example.com/x'],
    ['an http downgrade', 'http://wb.example.com/x'],
    ['an https upgrade', 'https://wb.example.com/x', 'http://wb.example.com/a'],
    ['another port', 'https://wb.example.com:8443/x'],
    ['an unparsable target', 'not a url'],
    ['a non-http origin', 'data:text/plain,x', 'data:text/plain,y'],
  ])('is false for %s', (_name, to, start = from) => {
    expect(redirectKeepsCredentials(start, to)).toBe(false);
  });

  test('is true on exactly the same origin', () => {
    expect(redirectKeepsCredentials(from, 'https://wb.example.com/y?z=1')).toBe(true);
    expect(redirectKeepsCredentials(new URL(from), new URL('https://WB.example.com:443/'))).toBe(
      true,
    );
  });
});

test('stripCredentialHeaders removes Authorization, Cookie and Proxy-Authorization in any case', () => {
  const headers = {
    AUTHORIZATION: 'Bearer x',
    cookie: 'a=b',
    'Proxy-Authorization': 'p',
    Accept: '*/*',
  };
  stripCredentialHeaders(headers);
  expect(headers).toEqual({ Accept: '*/*' });
});

test('isReplayableBody: bytes that can be sent again yes, streams and unknown objects no', () => {
  for (const body of [
    undefined,
    null,
    '',
    'x',
    new URLSearchParams('a=1'),
    new ArrayBuffer(2),
    Buffer.from('x'),
    new Blob(['x']),
    new FormData(),
  ]) {
    expect(isReplayableBody(body)).toBe(true);
  }
  for (const body of [
    Readable.from(['x']),
    new ReadableStream(),
    { a: 1 },
    (async function* () {})(),
  ]) {
    expect(isReplayableBody(body)).toBe(false);
  }
});
