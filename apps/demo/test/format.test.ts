import { expect, test } from 'vitest';
import { duration, relative, table } from '../src/format.js';

test('durations read naturally at every scale', () => {
  expect(duration(0)).toBe('0 ms');
  expect(duration(850.4)).toBe('850 ms');
  expect(duration(2_140)).toBe('2.1 s');
  expect(duration(298_000)).toBe('4 min 58 s');
});

test('relative times say which way', () => {
  expect(relative(10_000, 7_500)).toBe('in 2.5 s');
  expect(relative(7_500, 10_000)).toBe('2.5 s ago');
});

test('table columns line up: first left-aligned, the rest right-aligned', () => {
  expect(
    table([
      ['section', 'requests', ''],
      ['core', '3', 'ok'],
      ['outage', '36', 'ok'],
    ]),
  ).toEqual(['section   requests', 'core             3   ok', 'outage          36   ok']);
});
