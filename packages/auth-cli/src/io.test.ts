import { expect, it } from 'vitest';
import { colorizer } from './io.js';

it('colours a terminal only, and never with NO_COLOR set (no-color.org) or TERM=dumb', () => {
  const tty = { write: () => true, isTTY: true };
  expect(colorizer(tty, {}).red('FAIL')).toBe('\x1b[31mFAIL\x1b[0m');
  expect(colorizer(tty, { NO_COLOR: '1' }).red('FAIL')).toBe('FAIL');
  expect(colorizer(tty, { NO_COLOR: '' }).red('FAIL')).toBe('\x1b[31mFAIL\x1b[0m');
  expect(colorizer(tty, { TERM: 'dumb' }).red('FAIL')).toBe('FAIL');
  expect(colorizer({ write: () => true }, {}).red('FAIL')).toBe('FAIL');
});
