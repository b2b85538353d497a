import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ExampleRunOptions, ExampleRunResult } from '../run-example.js';

/**
 * An example's exported `run…Example` against the emulator: service, CG and on-behalf-of calls
 * reported readably without secrets, the caller part skipped without a caller token, and a
 * rejected service token failing the run.
 *
 * @param framework - the framework's name, as the log lines print it
 * @param run - the example's exported runner, e.g. `runKoaExample`
 * @example
 * ```ts
 * import { describeRunExample } from '@wb/example-support/testing';
 * describeRunExample('Koa', runKoaExample);
 * ```
 */
export function describeRunExample(
  framework: string,
  run: (options: ExampleRunOptions) => Promise<ExampleRunResult>,
): void {
  describe(`run${framework}Example`, () => {
    let wb: WitboostMock;
    beforeEach(async () => {
      wb = await startWitboostMock({ port: 0 });
    });
    afterEach(() => wb.close());

    test('runs service, CG and on-behalf-of calls and reports them readably', async () => {
      const lines: string[] = [];
      const accessToken = wb.issueAccessToken({ subject: 'service-account:example' });
      const caller = wb.issueAccessToken({ subject: 'user:alice' });
      const result = await run({
        baseUrl: wb.url,
        accessToken,
        issueCallerToken: () => caller,
        log: (line) => lines.push(line),
      });

      expect(result).toEqual({
        requests: 6,
        exchanges: { '(none)': 2, 'service:computational-governance': 1 },
        dataProducts: ['invoices', 'campaign-performance'],
        verdicts: [
          { dataProduct: 'invoices', satisfiesPolicy: true, errors: [] },
          { dataProduct: 'campaign-performance', satisfiesPolicy: true, errors: [] },
        ],
        callerDataProducts: ['invoices', 'campaign-performance'],
        rejectedCaller: { status: 401, code: 'access_token_rejected' },
      });
      expect(wb.stats.exchanges.byAccessToken[`wbat-…${caller.slice(-4)}`]).toBe(1);
      expect(lines[0]).toMatch(
        new RegExp(`^${framework} app listening on http://127\\.0\\.0\\.1:\\d+$`),
      );
      expect(lines).toContain('GET /data-products (service) -> 2 data product(s)');
      expect(lines).toContain(
        'GET /me/data-products x2 (on behalf of the caller) -> 2 data product(s), 1 exchange for the caller',
      );
      expect(lines).toContain(
        'GET /me/data-products with an unknown caller token -> 401 access_token_rejected',
      );
      const output = lines.join('\n');
      for (const secret of [accessToken, caller]) expect(output).not.toContain(secret);
      expect(output).not.toMatch(/wbat-\w|eyJ/);
    });

    test('without a caller token the on-behalf-of part is skipped', async () => {
      const lines: string[] = [];
      const result = await run({
        baseUrl: wb.url,
        accessToken: wb.issueAccessToken(),
        policy: 'require-description',
        log: (line) => lines.push(line),
      });
      expect(result.callerDataProducts).toBeUndefined();
      expect(result.requests).toBe(4);
      expect(result.verdicts.every((v) => v.satisfiesPolicy === false)).toBe(true);
      expect(lines).toContain('GET /me/data-products skipped: no caller access token');
    });

    test('a rejected service token fails the run with a clear error', async () => {
      const accessToken = wb.issueAccessToken();
      wb.revoke(accessToken);
      await expect(run({ baseUrl: wb.url, accessToken, log: () => undefined })).rejects.toThrow(
        /\/data-products answered 502/,
      );
    });
  });
}
