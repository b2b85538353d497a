import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startWitboostMock } from '@wb/witboost-mock';
import { expect, test } from 'vitest';
import { runDemo, type Section } from '../src/run.js';
import { sections } from '../src/sections.js';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
// The whole demo, fleet of processes included: generous on a loaded 2-core machine.
const WHOLE_DEMO_MS = 180_000;

/** Runs the demo in-process and keeps what it prints. */
async function demo(list: readonly Section[], env: Record<string, string | undefined> = {}) {
  let out = '';
  const code = await runDemo(list, { write: (text) => (out += text), color: false, env });
  return { code, out };
}

/** Each section's closing line, by section name, in the summary's terms. */
function closingLines(out: string): Array<{ requests: string; exchanges: string }> {
  return [
    ...out.matchAll(/Witboost got (\d+) API requests? and (\d+) exchanges?( \(\d+ failed\))?/g),
  ].map((m) => ({ requests: m[1] ?? '', exchanges: `${m[2]}${m[3] ?? ''}` }));
}

test(
  '`pnpm start` tells the whole story and exits 0, every count agreeing with the summary',
  async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.WITBOOST_BASE_URL;
    delete env.WITBOOST_ACCESS_TOKEN;

    // execFile rejects on a non-zero exit code: resolving means exit 0.
    const { stdout, stderr } = await promisify(execFile)(tsx, ['src/main.ts'], {
      cwd: appDir,
      env,
    });

    expect(stderr).toBe('');
    for (const [i, section] of sections.entries()) {
      expect(stdout).toContain(`${i + 1}. ${section.title}`);
    }
    expect(stdout).toContain('200 from the cache: no exchange, the same token #1');
    expect(stdout).toMatch(
      /exchange \(\d+ ms\): scope service:computational-governance, lifetime 300 s; refresh in \d min \d+ s; handed out for 4 min \d+ s at most/,
    );
    expect(stdout).toContain('3 callers got token #1');
    expect(stdout).toMatch(/background refresh \(\d+ ms\): scope \(none\), lifetime 5 s/);
    expect(stdout).toContain(
      '3 × 200 for the callers: 3 refused + 3 replayed requests, 1 new exchange, now on token #2',
    );
    expect(stdout).toMatch(
      /exchange failed: HTTP 429 rate_limited, retry in 1\.0 s, still serving the valid JWT/,
    );
    expect(stdout).toContain(
      'GET /me/data-products with an unknown caller token → 401 access_token_rejected',
    );
    expect(stdout).toMatch(/All sections passed in \d/);
    expect(stdout).not.toContain('until in');

    // Each section's closing line and its summary row are the same figures.
    const rows = sections.map((section) => {
      const row = new RegExp(
        `^  ${section.name}\\s+(\\d+)\\s+(\\d+(?: \\(\\d+ failed\\))?)\\s+\\S+ m?s\\s+ok$`,
        'm',
      ).exec(stdout);
      return { requests: row?.[1], exchanges: row?.[2] };
    });
    expect(closingLines(stdout)).toEqual(rows);
    // The outage's own tally is the emulator's too.
    const outage = /(\d+) requests in \S+ s, none failed/.exec(stdout)?.[1];
    expect(rows[sections.findIndex((s) => s.name === 'outage')]?.requests).toBe(outage);

    expect(stdout).not.toContain('\u001b[');
    // Never a usable credential on screen: at most `wbat-…abcd`, no JWT, no Basic value.
    expect(stdout).toMatch(/wbat-…[\w-]{4}\b/);
    expect(stdout).not.toMatch(
      /wbat-[A-Za-z0-9_-]{5,}|eyJ[A-Za-z0-9_-]{8,}|(Basic|Bearer) [A-Za-z0-9+/=_-]{8,}/,
    );
  },
  WHOLE_DEMO_MS,
);

test('a failing section is reported with its message redacted, the others run, exit code 1', async () => {
  let cleaned = false;
  const leaked = `wbat-${'x'.repeat(35)}`;
  const list: Section[] = [
    {
      title: 'broken',
      name: 'broken',
      async run(ctx) {
        ctx.defer(() => {
          cleaned = true;
        });
        throw new Error(`an example slipped: ${leaked}`);
      },
    },
    { title: 'fine', name: 'fine', run: async (ctx) => ctx.print.ok('still here') },
  ];

  const { code, out } = await demo(list);

  expect(code).toBe(1);
  expect(out).toContain('✗ FAILED an example slipped: wbat-…xxxx');
  expect(out).not.toContain(leaked);
  expect(out).toContain('✓ still here');
  expect(out).toMatch(/broken\s+0\s+0\s+\d+ ms\s+FAILED/);
  expect(out).toContain('1 section(s) failed.');
  expect(cleaned).toBe(true);
});

test(
  'with WITBOOST_BASE_URL and WITBOOST_ACCESS_TOKEN the examples run there, emulator-only sections are skipped',
  async () => {
    // A second emulator stands in for a real Witboost: the demo must not start its own.
    const real = await startWitboostMock({ port: 0 });
    const accessToken = real.issueAccessToken({ subject: 'service-account:real' });
    try {
      const { code, out } = await demo(sections, {
        WITBOOST_BASE_URL: `${real.url}/`,
        WITBOOST_ACCESS_TOKEN: accessToken,
      });

      expect(code, out).toBe(0);
      expect(out).toContain(
        `a real Witboost at ${real.url}, access token wbat-…${accessToken.slice(-4)}`,
      );
      expect(out).not.toContain('embedded Witboost emulator');
      expect(out).toMatch(/outage\s+-\s+-\s+-\s+skipped/);
      expect(out).toContain(
        'skipped against a real Witboost: it makes the emulator reject a valid JWT',
      );
      expect(out).toContain('only the emulator can issue a caller PAT');
      expect(out).toContain('as counted by the clients');
      expect(real.stats.exchanges.total).toBeGreaterThanOrEqual(10);
      expect(out).not.toContain(accessToken);
    } finally {
      await real.close();
    }
  },
  WHOLE_DEMO_MS,
);
