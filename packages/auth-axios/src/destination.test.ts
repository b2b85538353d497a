import { describe, expect, test } from 'vitest';
import { destinationOf, stillGoesTo } from './destination.js';

const base = 'https://wb.example.com';

describe('destinationOf', () => {
  test.each([
    [{ url: '/api/x', baseURL: base }, `${base}/api/x`],
    [{ url: 'https://other.example/x', baseURL: base }, 'https://other.example/x'],
    [{ url: '/api/x' }, undefined],
    [{ url: `${base}/api/x` }, `${base}/api/x`],
    // allowAbsoluteUrls: false, where axios < 1.8.2 sends to `url` and later releases join.
    [{ url: 'https://evil.example/x', baseURL: base, allowAbsoluteUrls: false }, undefined],
    [{ url: '//evil.example/x', baseURL: base, allowAbsoluteUrls: false }, undefined],
    [{ url: 'http://wb.example.com/x', baseURL: base, allowAbsoluteUrls: false }, undefined],
  ])('%j → %s', (config, expected) => {
    expect(destinationOf(config)).toBe(expected);
  });

  test('an absolute URL on the base origin with allowAbsoluteUrls: false is the joined URL', () => {
    // What recent axios sends to; older releases send to `url`, on the same origin.
    const config = { url: `${base}/x`, baseURL: `${base}/`, allowAbsoluteUrls: false };
    expect(destinationOf(config)).toBe(`${base}/${base}/x`);
  });

  test('stillGoesTo compares origins', () => {
    expect(stillGoesTo({ url: '/y', baseURL: base }, `${base}/x`)).toBe(true);
    expect(stillGoesTo({ url: '/y', baseURL: `${base}:8443` }, `${base}/x`)).toBe(false);
    expect(stillGoesTo({ url: '/y' }, `${base}/x`)).toBe(false);
  });
});
