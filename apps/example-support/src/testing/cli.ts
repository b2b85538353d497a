import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { CliIo } from '../cli.js';

/**
 * A scripted example's `runCli` in-process: the environment's Witboost when both variables are
 * set, the exit code 2 when only one is, 1 with a secret-free line when a call fails, and its own
 * emulator without variables.
 *
 * @param runCli - the example's command line
 * @param revokedError - what its error line says for a revoked access token
 * @example
 * ```ts
 * import { describeCli } from '@wb/example-support/testing';
 * describeCli(runCli, /^Failed: .*access_token_rejected/);
 * ```
 */
export function describeCli(runCli: (io: CliIo) => Promise<number>, revokedError: RegExp): void {
  describe('runCli', () => {
    let wb: WitboostMock;
    let out: string[];
    let err: string[];
    beforeEach(async () => {
      wb = await startWitboostMock({ port: 0 });
      out = [];
      err = [];
    });
    afterEach(async () => {
      await wb.close();
    });

    function run(env: Record<string, string | undefined>) {
      return runCli({ env, out: (l) => out.push(l), err: (l) => err.push(l) });
    }

    test('uses WITBOOST_BASE_URL and WITBOOST_ACCESS_TOKEN when both are set', async () => {
      const accessToken = wb.issueAccessToken();
      const code = await run({ WITBOOST_BASE_URL: wb.url, WITBOOST_ACCESS_TOKEN: accessToken });
      expect(code).toBe(0);
      expect(out[0]).toBe(`Witboost at ${wb.url}, access token wbat-…${accessToken.slice(-4)}`);
      expect(out.join('\n')).not.toContain(accessToken);
      expect(wb.stats.protectedRequests.ok).toBe(3);
    });

    test('exits 1 with a readable, secret-free error for a revoked token', async () => {
      const accessToken = wb.issueAccessToken();
      wb.revoke(accessToken);
      const code = await run({ WITBOOST_BASE_URL: wb.url, WITBOOST_ACCESS_TOKEN: accessToken });
      expect(code).toBe(1);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(revokedError);
      expect([...out, ...err].join('\n')).not.toContain(accessToken);
    });

    for (const only of ['WITBOOST_BASE_URL', 'WITBOOST_ACCESS_TOKEN'] as const) {
      test(`exits 2 when only ${only} is set`, async () => {
        const value = only === 'WITBOOST_BASE_URL' ? wb.url : wb.issueAccessToken();
        const code = await run({ [only]: value });
        expect(code).toBe(2);
        expect(err).toEqual([
          'Set both WITBOOST_BASE_URL and WITBOOST_ACCESS_TOKEN, or neither (embedded emulator).',
        ]);
        expect(wb.stats.exchanges.total).toBe(0);
      });
    }

    test('without env vars starts its own emulator', async () => {
      const code = await run({});
      expect(code).toBe(0);
      expect(out[0]).toMatch(/^Embedded Witboost emulator at http:\/\/127\.0\.0\.1:\d+/);
      expect(out[0]).not.toContain(wb.url);
      expect(wb.stats.exchanges.total).toBe(0);
    });
  });
}
