import { describe, expect, it } from 'vitest';
import { makeJwt } from '../../test/helpers.js';
import { decodeMark, decodeRecord, encodeMark, encodeRecord } from './store-record.js';

const NOW = 1_900_000_000_000;
const jwt = makeJwt({ iat: NOW / 1000, exp: NOW / 1000 + 300 });
const good = { jwt, refreshAt: NOW + 150_000, deadlineAt: NOW + 268_000 };

describe('shared token records', () => {
  it('serves a plausible record until its deadline, and in refresh mode until its refresh point', () => {
    const text = encodeRecord(good);
    expect(decodeRecord(text, NOW, 300, false)).toEqual(good);
    expect(decodeRecord(text, NOW + 200_000, 300, false)).toEqual(good);
    expect(decodeRecord(text, NOW + 200_000, 300, true)).toBeUndefined();
    expect(decodeRecord(text, NOW + 268_000, 300, false)).toBeUndefined();
  });

  it("treats a deadline beyond the JWT's own lifetime as a miss", () => {
    const far = encodeRecord({ ...good, deadlineAt: NOW + 301_000 });
    expect(decodeRecord(far, NOW, 300, false)).toBeUndefined();
    // The requested duration caps what the JWT claims.
    expect(decodeRecord(encodeRecord(good), NOW, 200, false)).toBeUndefined();
  });

  it('treats malformed entries as a miss', () => {
    const cases = [
      'not json',
      'null',
      '[]',
      JSON.stringify({ j: 'not.a.jwt', r: NOW + 1, d: NOW + 2 }),
      encodeRecord({ ...good, refreshAt: good.deadlineAt + 1 }),
      JSON.stringify({ j: jwt, r: 'soon', d: NOW + 2 }),
      JSON.stringify({ j: jwt, r: NOW + 1, d: Number.POSITIVE_INFINITY }),
    ];
    for (const text of cases) expect(decodeRecord(text, NOW, 300, false)).toBeUndefined();
  });

  it('keeps marks until they lapse', () => {
    const text = encodeMark({ kind: 'backoff', until: NOW + 5_000, status: 429 });
    expect(decodeMark(text, NOW)).toEqual({ kind: 'backoff', until: NOW + 5_000, status: 429 });
    expect(decodeMark(text, NOW + 5_000)).toBeUndefined();
    expect(decodeMark('{"m":"other","u":1e13}', NOW)).toBeUndefined();
  });
});
