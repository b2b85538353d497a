import type { Tally } from './context.js';
import { duration, table } from './format.js';
import type { Reporter } from './report.js';

/** How one section went. */
export interface SectionResult {
  name: string;
  status: 'ok' | 'failed' | 'skipped';
  /** What the client saw. */
  tally: Tally;
  /** What the emulator saw, when there is one. */
  seen?: { requests: number; exchanges: number; failedExchanges: number };
  ms: number;
}

function exchanges(n: number, failed: number): string {
  return failed > 0 ? `${n} (${failed} failed)` : String(n);
}

/** The closing table: per section requests, exchanges and failures; then the total time. */
export function printSummary(
  report: Reporter,
  results: readonly SectionResult[],
  totalMs: number,
  fromEmulator: boolean,
): void {
  report.section('Summary');
  const rows = [['section', 'requests', 'exchanges', 'failed', 'time', '']];
  const total = { requests: 0, exchanges: 0, failedExchanges: 0, failed: 0 };
  for (const r of results) {
    const requests = r.seen?.requests ?? r.tally.requests;
    const exchanged = r.seen?.exchanges ?? r.tally.exchanges;
    const failedExchanges = r.seen?.failedExchanges ?? 0;
    total.requests += requests;
    total.exchanges += exchanged;
    total.failedExchanges += failedExchanges;
    total.failed += r.tally.failed;
    rows.push(
      r.status === 'skipped'
        ? [r.name, '-', '-', '-', '-', 'skipped']
        : [
            r.name,
            String(requests),
            exchanges(exchanged, failedExchanges),
            String(r.tally.failed),
            duration(r.ms),
            r.status === 'failed' ? 'FAILED' : 'ok',
          ],
    );
  }
  rows.push([
    'total',
    String(total.requests),
    exchanges(total.exchanges, total.failedExchanges),
    String(total.failed),
    duration(totalMs),
    '',
  ]);
  const lines = table(rows);
  lines.forEach((text, i) => {
    report.line(`  ${text}`, i === 0 || i === lines.length - 1 ? 'bold' : undefined);
  });
  report.info(
    `requests and exchanges as counted by the ${fromEmulator ? 'emulator' : 'clients'}; failed = errors seen by callers`,
  );
  if (fromEmulator) {
    report.info(
      'failed exchanges: the injected outage, and the unknown caller token the examples show',
    );
  }
  const failed = results.filter((r) => r.status === 'failed').length;
  report.line('');
  report.title(
    failed === 0 ? `All sections passed in ${duration(totalMs)}.` : `${failed} section(s) failed.`,
  );
}
