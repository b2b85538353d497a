import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import type { DemoContext, DemoStep, Tally } from './context.js';
import { createReporter, type Reporter, type ReporterOptions } from './report.js';
import { redact, showAccessToken } from './secrets.js';
import { steps as defaultSteps } from './steps/index.js';
import { printSummary, type SectionResult } from './summary.js';

export interface RunDemoOptions extends ReporterOptions {
  /** @default every section in src/steps/index.ts */
  steps?: readonly DemoStep[];
  /**
   * Where `WITBOOST_BASE_URL` and `WITBOOST_ACCESS_TOKEN` are read: when both are set, the demo
   * talks to that Witboost and skips the sections that need the emulator.
   * @default process.env
   */
  env?: NodeJS.ProcessEnv;
}

interface Target {
  baseUrl: string;
  accessToken: string;
  wb: WitboostMock | undefined;
}

async function openTarget(env: NodeJS.ProcessEnv, report: Reporter): Promise<Target> {
  const baseUrl = env.WITBOOST_BASE_URL?.trim();
  const accessToken = env.WITBOOST_ACCESS_TOKEN?.trim();
  if (baseUrl && accessToken) {
    report.info(
      `WITBOOST_BASE_URL and WITBOOST_ACCESS_TOKEN are set: a real Witboost at ${baseUrl}, token ${showAccessToken(accessToken)}`,
    );
    return { baseUrl: baseUrl.replace(/\/+$/, ''), accessToken, wb: undefined };
  }
  // Basic on, so one emulator serves every section; bearer clients never notice.
  const wb = await startWitboostMock({ port: 0, basicAuth: true });
  const token = wb.issueAccessToken({ subject: 'service-account:demo' });
  report.info(
    `one embedded Witboost emulator for everything: ${wb.url} (JWT default 300 s, Basic enabled)`,
  );
  report.info(`service-account access token ${showAccessToken(token)}`);
  return { baseUrl: wb.url, accessToken: token, wb };
}

/**
 * Runs every section against the embedded emulator (or a real Witboost) and prints what
 * happened, then a summary table.
 * @returns the process exit code: 0 when every section did what it promises
 */
export async function runDemo(options: RunDemoOptions = {}): Promise<number> {
  const report = createReporter(options);
  const started = performance.now();
  report.title('Witboost API authentication: the demo');
  const target = await openTarget(options.env ?? process.env, report);
  const { wb } = target;
  const results: SectionResult[] = [];
  try {
    for (const step of options.steps ?? defaultSteps) {
      results.push(await runSection(step, target, report));
    }
  } finally {
    await wb?.close();
  }
  printSummary(report, results, performance.now() - started, wb !== undefined);
  return results.some((r) => r.status === 'failed') ? 1 : 0;
}

async function runSection(
  step: DemoStep,
  target: Target,
  report: Reporter,
): Promise<SectionResult> {
  const { wb } = target;
  report.section(step.title);
  const tally: Tally = { requests: 0, exchanges: 0, failed: 0 };
  const result: SectionResult = { name: step.name, status: 'ok', tally, ms: 0 };
  if (step.needsEmulator !== undefined && wb === undefined) {
    report.skip(`skipped against a real Witboost: ${step.needsEmulator}`);
    result.status = 'skipped';
    return result;
  }
  const cleanups: Array<() => Promise<void> | void> = [];
  const ctx: DemoContext = {
    baseUrl: target.baseUrl,
    accessToken: target.accessToken,
    wb,
    issueAccessToken: (subject) => wb?.issueAccessToken({ subject }) ?? target.accessToken,
    report,
    tally,
    defer: (cleanup) => cleanups.push(cleanup),
  };
  const before = wb?.stats;
  const started = performance.now();
  try {
    await step.run(ctx);
  } catch (error) {
    result.status = 'failed';
    // Errors of ours carry statuses and codes only; redact anyway, the examples are not ours.
    report.fail(redact(error instanceof Error ? `${error.name}: ${error.message}` : String(error)));
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
  result.ms = performance.now() - started;
  if (wb !== undefined && before !== undefined) {
    // The emulator's counters are the truth about what reached Witboost.
    const after = wb.stats;
    result.seen = {
      requests: after.protectedRequests.total - before.protectedRequests.total,
      exchanges: after.exchanges.total - before.exchanges.total,
      failedExchanges: after.exchanges.failed - before.exchanges.failed,
    };
  }
  return result;
}
