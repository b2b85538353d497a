import { startWitboostMock } from '@wb/witboost-mock';
import { expect, it } from 'vitest';
import { runFleetExample } from '../src/run-fleet.js';

it('three replicas on one Redis exchange about once per identity, and no request fails', {
  timeout: 120_000,
}, async () => {
  const wb = await startWitboostMock({ port: 0 });
  try {
    const lines: string[] = [];
    const summary = await runFleetExample({
      baseUrl: wb.url,
      accessToken: wb.issueAccessToken({ subject: 'service-account:fleet' }),
      issueCallerToken: () => wb.issueAccessToken(),
      log: (line) => lines.push(line),
    });
    expect(summary).toBeDefined();
    expect(summary?.failed).toBe(0);
    expect(summary?.requests).toBe(15);
    // 5 identities: a duplicate exchange is allowed, never one per replica.
    expect(wb.stats.exchanges.ok).toBeLessThanOrEqual(6);
    expect(summary?.exchanges).toBe(wb.stats.exchanges.ok);
    expect(lines.join('\n')).not.toContain('wbat-');
  } finally {
    await wb.close();
  }
});
