import { startWitboostMock, type WitboostMockStats } from '@wb/witboost-mock';
import { type DemoContext, DemoFailure, type DemoStep } from './context.js';
import { createReporter, type ReporterOptions } from './report.js';
import { steps as defaultSteps } from './steps/index.js';

export interface RunDemoOptions extends ReporterOptions {
  /** @default every step in src/steps/index.ts */
  steps?: readonly DemoStep[];
}

function counts(record: Record<string, number>): string {
  const entries = Object.entries(record);
  return entries.length ? entries.map(([key, n]) => `${key} ×${n}`).join(', ') : 'none';
}

function summarise(stats: WitboostMockStats): string[] {
  const { exchanges, protectedRequests: calls } = stats;
  return [
    `exchanges: ${exchanges.total} (${exchanges.ok} ok, ${exchanges.failed} failed)`,
    `  by scope: ${counts(exchanges.byScope)}`,
    `  by access token: ${counts(exchanges.byAccessToken)}`,
    `API calls: ${calls.total} (${calls.ok} ok, ${calls.unauthorized} unauthorized, ${calls.forbidden} forbidden)`,
    `  by path: ${counts(calls.byPath)}`,
  ];
}

/**
 * Runs every step against an embedded emulator and prints what happened.
 * @returns the process exit code: 0 when every step did what it promises
 */
export async function runDemo(options: RunDemoOptions = {}): Promise<number> {
  const report = createReporter(options);
  const wb = await startWitboostMock({ port: 0 });
  const cleanups: Array<() => Promise<void> | void> = [];
  const ctx: DemoContext = {
    wb,
    accessToken: wb.issueAccessToken({ subject: 'service-account:demo' }),
    report,
    defer: (cleanup) => cleanups.push(cleanup),
  };
  report.title('Witboost API authentication: demo');
  report.info(`embedded Witboost emulator at ${wb.url} (Basic auth off, JWT default 300 s)`);

  let failed = 0;
  try {
    for (const step of options.steps ?? defaultSteps) {
      report.section(step.title);
      try {
        await step.run(ctx);
      } catch (error) {
        failed += 1;
        // DemoFailure and fetch errors carry statuses and causes, never credentials.
        report.fail(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
        if (!(error instanceof DemoFailure) && !(error instanceof TypeError)) throw error;
      }
    }
    report.section('What the emulator saw');
    for (const line of summarise(wb.stats)) report.info(line);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await wb.close();
  }
  report.title(failed === 0 ? '\nAll steps passed.' : `\n${failed} step(s) failed.`);
  return failed === 0 ? 0 : 1;
}
