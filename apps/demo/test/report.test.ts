import { afterEach, expect, test, vi } from 'vitest';
import { createReporter, wantsColor } from '../src/report.js';
import { capture } from './capture.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

test('colour codes only when asked', () => {
  const plain = capture();
  const colored = capture();
  createReporter({ write: plain.write, color: false }).ok('done');
  createReporter({ write: colored.write, color: true }).ok('done');
  expect(plain.text()).toBe('  ✓ done\n');
  expect(colored.text()).toContain('\u001b[32m✓\u001b[0m');
});

test('each kind of line has its own mark and indent', () => {
  const out = capture();
  const report = createReporter({ write: out.write, color: false });
  report.request('GET /x');
  report.event('exchange');
  report.log('from an example');
  report.skip('not here');
  expect(out.text()).toBe('  → GET /x\n    • exchange\n  │ from an example\n  – not here\n');
});

test('sections are numbered', () => {
  const out = capture();
  const report = createReporter({ write: out.write, color: false });
  report.section('one');
  report.section('two');
  expect(out.text()).toBe('\n1. one\n\n2. two\n');
});

test('NO_COLOR turns colour off even on a TTY', () => {
  const isTTY = process.stdout.isTTY;
  process.stdout.isTTY = true;
  try {
    vi.stubEnv('NO_COLOR', '');
    expect(wantsColor()).toBe(true);
    vi.stubEnv('NO_COLOR', '1');
    expect(wantsColor()).toBe(false);
  } finally {
    process.stdout.isTTY = isTTY;
  }
});
