import { redactSecrets, redactToken } from '@wb/auth-core';
import { describe, expect, it } from 'vitest';
import { sampleAccessToken } from '../test/support/expect-no-secret.js';
import { redactHeldSecrets } from './redact.js';

const jwt =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyOmpkb2UiLCJleHAiOjE3MDAwMDAwMDB9.c2lnbmF0dXJlLWJ5dGVz_-x';

describe('redactToken', () => {
  it.each([
    [
      'an access token keeps its prefix and last four',
      'wbat-0123456789abcdefghijklmnopqrstuvwxyz',
      'wbat-…wxyz',
    ],
    ['a JWT is labelled only', jwt, 'eyJ…(jwt)'],
    ['another long token keeps its last four', 'ghp_0123456789abcdefWXYZ', '…WXYZ'],
    ['a short token is fully masked', 'abc123', '…'],
    ['a short access token shows its prefix only', 'wbat-abc', 'wbat-…'],
    ['an empty string', '', '…'],
  ])('%s', (_name, token, expected) => {
    expect(redactToken(token)).toBe(expected);
  });

  it('never returns more than the last four characters of the secret part', () => {
    const token = sampleAccessToken();
    const label = redactToken(token);
    expect(label).toBe(`wbat-…${token.slice(-4)}`);
    expect(label).not.toContain(token.slice(5, -4));
  });

  it('masks a non-string', () => {
    expect(redactToken(undefined as unknown as string)).toBe('…');
  });
});

describe('redactSecrets', () => {
  it('replaces every access token in free text', () => {
    const a = sampleAccessToken('a');
    const b = sampleAccessToken('b');
    const text = `first ${a}, then "${b}" and (wbat-x)`;
    const out = redactSecrets(text);
    expect(out).not.toContain(a);
    expect(out).not.toContain(b);
    expect(out).toBe(`first wbat-…${a.slice(-4)}, then "wbat-…${b.slice(-4)}" and (wbat-…)`);
  });

  it('replaces JWTs, also inside URLs and JSON', () => {
    const out = redactSecrets(`url https://x/?t=${jwt}&a=1 json {"value":"${jwt}"}`);
    expect(out).not.toContain(jwt.split('.')[1]);
    expect(out).toBe('url https://x/?t=eyJ…(jwt)&a=1 json {"value":"eyJ…(jwt)"}');
  });

  it('replaces Bearer and Basic header values, whatever the token format', () => {
    const opaque = 'opaque-Token-1234567890';
    const basic = Buffer.from('witboost:secret-value-42').toString('base64');
    const out = redactSecrets(`authorization: Bearer ${opaque}\nAuthorization: basic ${basic}`);
    expect(out).not.toContain(opaque);
    expect(out).not.toContain(basic);
    expect(out).toBe('authorization: Bearer …7890\nAuthorization: basic …');
  });

  it('replaces credential fields of JSON bodies', () => {
    const out = redactSecrets(
      '{"access_token":"plain-secret-value-0001","jwt":"x","other":"keep"}',
    );
    expect(out).toBe('{"access_token":"…0001","jwt":"…","other":"keep"}');
  });

  it('replaces base64 of witboost:<token> anywhere, JSON-escaped or percent-encoded too', () => {
    const basic = Buffer.from('witboost:wbat-an?opaque>secret~value~42').toString('base64');
    expect(basic).toMatch(/[+/]/);
    const escaped = JSON.stringify(basic).replace(/\//g, '\\/');
    const out = redactSecrets(
      `header=${basic} {"authorization":${escaped}} x=${encodeURIComponent(basic)}&y=1`,
    );
    expect(out).toBe('header=… {"authorization":"…"} x=…&y=1');
  });

  it('leaves prose about the schemes alone', () => {
    const text = 'Basic authentication is disabled; use Bearer tokens instead.';
    expect(redactSecrets(text)).toBe(text);
  });

  it('is idempotent', () => {
    const once = redactSecrets(`Bearer ${jwt} ${sampleAccessToken()}`);
    expect(redactSecrets(once)).toBe(once);
  });

  it('returns an empty string for a non-string', () => {
    expect(redactSecrets(null as unknown as string)).toBe('');
  });

  it.each([
    ['eyJ repeated', 'eyJ'.repeat(400_000)],
    ['eyJ segments without the third dot', 'eyJa.'.repeat(250_000)],
    ['wbat- repeated', 'wbat-'.repeat(250_000)],
    ['Bearer repeated', 'Bearer '.repeat(200_000)],
    ['JSON key repeated', '"access_token": "'.repeat(80_000)],
    ['word characters', 'a'.repeat(1_000_000)],
    ['base64 of witboost: repeated', `d2l0Ym9vc3Q6${'%2B\\/'.repeat(150_000)}`],
  ])('stays linear on adversarial input (%s)', (_name, text) => {
    const started = performance.now();
    redactSecrets(text);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('redactHeldSecrets', () => {
  const token = sampleAccessToken('q');
  const core = token.slice('wbat-'.length);
  const basic = Buffer.from(`witboost:${token}`).toString('base64');
  const split = (text: string, by: string) => text.match(/.{1,6}/g)?.join(by) ?? text;

  it.each([
    ['whole', token],
    ['without its prefix', core],
    ['as base64 of witboost:<token>', basic],
    ['as base64url of the token', Buffer.from(token).toString('base64url')],
    ['as base64 at another alignment', Buffer.from(`{"t":"${token}"}`).toString('base64')],
    [
      'JSON-escaped',
      JSON.stringify(token)
        .slice(1, -1)
        .replace(/[a-z]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`),
    ],
    ['percent-encoded', [...token].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')],
    ['split by spaces', split(core, ' ')],
    ['split by zero-width spaces', split(core, '\u200b')],
    ['split by newlines and tabs', split(core, '\n\t')],
    ['as a fragment of twelve characters', core.slice(10, 22)],
  ])('removes the token %s', (_name, echo) => {
    const out = redactHeldSecrets(`denied: ${echo} (see docs)`, [token]);
    expect(out.startsWith('denied: ')).toBe(true);
    expect(out.endsWith(' (see docs)')).toBe(true);
    const compact = out.replace(/[\s\u200b]/g, '');
    for (let i = 0; i + 8 <= core.length; i++) expect(compact).not.toContain(core.slice(i, i + 8));
    expect(compact).not.toContain(basic.slice(12, 20));
  });

  it('keeps ordinary text and short tokens are only replaced whole', () => {
    const text = 'duration_seconds exceeds the remaining lifetime of the access token';
    expect(redactHeldSecrets(text, [token])).toBe(text);
    expect(redactHeldSecrets('key abcd and abcdx', ['abcd'])).toBe('key … and …x');
  });

  it('stays fast on long hostile text', () => {
    const started = performance.now();
    redactHeldSecrets(`${'%41\\u0041\u200b '.repeat(200_000)}`, [token]);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
