import { expect, test } from 'vitest';
import { DemoFailure, type DemoStep } from '../src/context.js';
import { runDemo } from '../src/run-demo.js';
import { capture } from './capture.js';

test('every step passes against the emulator, and the summary counts what happened', async () => {
  const out = capture();
  expect(await runDemo({ write: out.write, color: false })).toBe(0);
  const text = out.text();
  expect(text).toMatch(/exchanges: 5 \(5 ok, 0 failed\)/);
  expect(text).toContain('by scope: (none) ×4, service:computational-governance ×1');
  expect(text).toMatch(/API calls: 5 \(2 ok, 2 unauthorized, 1 forbidden\)/);
  expect(text).toContain('✓ 200 satisfiesPolicy: true');
  expect(text).toContain('✗ 401 "Basic authentication is disabled on this installation"');
  expect(text).not.toMatch(/wbat-[A-Za-z0-9_-]{8,}|eyJ[A-Za-z0-9_-]{8,}/);
});

test('a failing step is reported, the others still run, cleanups run, exit code 1', async () => {
  const out = capture();
  let cleaned = false;
  const steps: DemoStep[] = [
    {
      title: 'broken',
      async run(ctx) {
        ctx.defer(() => {
          cleaned = true;
        });
        throw new DemoFailure('catalog: expected HTTP 200, got 500');
      },
    },
    { title: 'fine', run: async (ctx) => ctx.report.ok('still here') },
  ];
  expect(await runDemo({ write: out.write, color: false, steps })).toBe(1);
  expect(out.text()).toContain('✗ FAILED DemoFailure: catalog: expected HTTP 200, got 500');
  expect(out.text()).toContain('✓ still here');
  expect(out.text()).toContain('1 step(s) failed.');
  expect(cleaned).toBe(true);
});
