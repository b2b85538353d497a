import type { DemoContext } from '../context.js';
import { redact } from '../secrets.js';

/** What the example apps' run functions report back. */
export interface ExampleResult {
  requests: number;
  exchanges: Record<string, number>;
}

/**
 * Runs one example app with its log lines indented under the section, and tallies what it
 * did. An example that throws fails the section (and counts as a failed request).
 */
export async function runExample(
  ctx: DemoContext,
  start: (log: (line: string) => void) => Promise<ExampleResult>,
): Promise<void> {
  try {
    const result = await start((line) => {
      for (const part of String(line).split('\n')) ctx.report.log(redact(part));
    });
    ctx.tally.requests += result.requests;
    ctx.tally.exchanges += Object.values(result.exchanges).reduce((a, b) => a + b, 0);
  } catch (error) {
    ctx.tally.failed += 1;
    throw error;
  }
}
