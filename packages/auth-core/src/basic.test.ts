import { basicAuthorization, parseBasicAuthorization, WitboostAuthError } from '@wb/auth-core';
import { describe, expect, it } from 'vitest';
import { caught, expectNoSecret, sampleAccessToken } from '../test/support/expect-no-secret.js';

describe('basicAuthorization', () => {
  it('encodes witboost:<token> in base64', () => {
    const token = sampleAccessToken();
    const header = basicAuthorization(token);
    expect(header).toBe(`Basic ${Buffer.from(`witboost:${token}`).toString('base64')}`);
    expect(Buffer.from(header.slice(6), 'base64').toString()).toBe(`witboost:${token}`);
  });

  it('matches a known vector', () => {
    expect(basicAuthorization('wbat-abc')).toBe('Basic d2l0Ym9vc3Q6d2JhdC1hYmM=');
  });

  it('ignores surrounding whitespace (a token read from a file or env var)', () => {
    expect(basicAuthorization(' wbat-abc\n')).toBe(basicAuthorization('wbat-abc'));
  });

  it.each([[''], ['   '], ['\n\t']])('rejects the blank token %j', async (blank) => {
    const error = await caught(() => basicAuthorization(blank));
    expect(error).toBeInstanceOf(WitboostAuthError);
    expect((error as WitboostAuthError).code).toBe('invalid_access_token');
  });

  it('rejects a non-string without echoing it', async () => {
    const secret = { token: sampleAccessToken('z') };
    const error = await caught(() => basicAuthorization(secret as unknown as string));
    expect((error as WitboostAuthError).code).toBe('invalid_access_token');
    expectNoSecret(error, [secret.token]);
  });
});

describe('parseBasicAuthorization', () => {
  it('round-trips basicAuthorization', () => {
    const token = sampleAccessToken();
    expect(parseBasicAuthorization(basicAuthorization(token))).toEqual({
      username: 'witboost',
      password: token,
    });
  });

  it('accepts any scheme case and splits at the first colon', () => {
    const encoded = Buffer.from('user:pa:ss').toString('base64');
    expect(parseBasicAuthorization(`bAsIc ${encoded}`)).toEqual({
      username: 'user',
      password: 'pa:ss',
    });
  });

  it('decodes UTF-8 credentials', () => {
    const encoded = Buffer.from('zoë:pässword').toString('base64');
    expect(parseBasicAuthorization(`Basic ${encoded}`)).toEqual({
      username: 'zoë',
      password: 'pässword',
    });
  });

  it.each([
    ['empty', ''],
    ['scheme only', 'Basic'],
    ['scheme and space', 'Basic '],
    ['bearer scheme', `Bearer ${Buffer.from('a:b').toString('base64')}`],
    ['no colon', `Basic ${Buffer.from('witboost').toString('base64')}`],
    ['not base64', 'Basic !!!!'],
    ['bad padding', 'Basic YWJj='],
    ['length not a multiple of 4', 'Basic YWJjZA'],
    ['two values', `Basic ${Buffer.from('a:b').toString('base64')} extra`],
    ['invalid UTF-8', `Basic ${Buffer.from([0x61, 0x3a, 0xff, 0xfe]).toString('base64')}`],
    ['not a string', 42],
  ])('returns undefined for %s', (_name, header) => {
    expect(parseBasicAuthorization(header as string)).toBeUndefined();
  });
});
