import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterEach, expect, test } from 'vitest';
import { DemoFailure, type DemoStep } from '../src/context.js';
import { runDemo } from '../src/run-demo.js';
import { capture } from './capture.js';

let real: WitboostMock | undefined;
afterEach(async () => {
  await real?.close();
  real = undefined;
});

test('a failing section is reported, the others still run, cleanups run, exit code 1', async () => {
  const out = capture();
  let cleaned = false;
  const steps: DemoStep[] = [
    {
      title: 'broken',
      name: 'broken',
      async run(ctx) {
        ctx.defer(() => {
          cleaned = true;
        });
        ctx.tally.failed += 1;
        throw new DemoFailure('catalog: expected a 2xx answer, got HTTP 500');
      },
    },
    { title: 'fine', name: 'fine', run: async (ctx) => ctx.report.ok('still here') },
  ];
  expect(await runDemo({ write: out.write, color: false, steps, env: {} })).toBe(1);
  const text = out.text();
  expect(text).toContain('✗ FAILED DemoFailure: catalog: expected a 2xx answer, got HTTP 500');
  expect(text).toContain('✓ still here');
  expect(text).toMatch(/broken\s+0\s+0\s+1\s+\d+ ms\s+FAILED/);
  expect(text).toMatch(/fine\s+0\s+0\s+0\s+\d+ ms\s+ok/);
  expect(text).toContain('1 section(s) failed.');
  expect(cleaned).toBe(true);
});

test('a failure message carrying a credential is redacted before it is printed', async () => {
  const out = capture();
  const token = `wbat-${'x'.repeat(35)}`;
  const steps: DemoStep[] = [
    {
      title: 'leaky',
      name: 'leaky',
      run: async () => {
        throw new Error(`an example slipped: ${token}`);
      },
    },
  ];
  expect(await runDemo({ write: out.write, color: false, steps, env: {} })).toBe(1);
  expect(out.text()).toContain('an example slipped: wbat-…xxxx');
  expect(out.text()).not.toContain(token);
});

test('with WITBOOST_BASE_URL and WITBOOST_ACCESS_TOKEN set, the examples run there and the emulator-only sections are skipped', async () => {
  // A second emulator stands in for the real Witboost: the demo must not start its own.
  real = await startWitboostMock({ port: 0 });
  const accessToken = real.issueAccessToken({ subject: 'service-account:real' });
  const out = capture();
  const code = await runDemo({
    write: out.write,
    color: false,
    env: { WITBOOST_BASE_URL: `${real.url}/`, WITBOOST_ACCESS_TOKEN: accessToken },
  });
  const text = out.text();
  expect(code, text).toBe(0);
  expect(text).toContain(`a real Witboost at ${real.url}/, token wbat-…${accessToken.slice(-4)}`);
  expect(text).not.toContain('embedded Witboost emulator');
  expect(text).toContain(
    'skipped against a real Witboost: it makes the emulator reject a valid JWT',
  );
  expect(text).toContain('skipped against a real Witboost: it injects exchange failures');
  expect(text).toContain('skipped against a real Witboost: Basic is off by default');
  expect(text).toMatch(/outage\s+-\s+-\s+-\s+-\s+skipped/);
  expect(text).toMatch(/axios\s+3\s+2\s+0\s/);
  expect(text).toContain('as counted by the clients');
  expect(text).toContain('/me/data-products skipped: no caller access token');
  // What ran went to the stand-in: core 2 + refresh 2, then 2 per example at least.
  const ours = real.stats.exchanges.byAccessToken[`wbat-…${accessToken.slice(-4)}`] ?? 0;
  expect(ours).toBeGreaterThanOrEqual(4 + 2 * 3);
  expect(text).not.toContain(accessToken);
});
