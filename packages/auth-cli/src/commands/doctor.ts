import { parseCommand, secondsOption } from '../args.js';
import { DEFAULT_TIMEOUT_MS } from '../config.js';
import type { CheckOutcome, DoctorState } from '../doctor/check.js';
import { CHECKS } from '../doctor/checks.js';
import { EXIT_OK, EXIT_UNAVAILABLE, type ExitCode } from '../exit-codes.js';
import { colorizer, type ResolvedIo } from '../io.js';

interface CheckReport extends CheckOutcome {
  name: string;
  durationMs: number;
}

/** Runs one check, bounded by its own timeout whatever it awaits. */
async function runBounded(
  check: (typeof CHECKS)[number],
  state: DoctorState,
  timeoutMs: number,
): Promise<CheckOutcome> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({
        status: 'FAIL',
        detail: `no result within ${timeoutMs / 1000} s`,
        fix: 'check the network path to Witboost, or raise --timeout',
        exitCode: EXIT_UNAVAILABLE,
      });
    }, timeoutMs);
  });
  try {
    return await Promise.race([check.run(state, controller.signal), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** `wb-auth doctor`: every check in order, PASS or FAIL with a fix; exit of the first FAIL. */
export async function doctorCommand(argv: readonly string[], io: ResolvedIo): Promise<ExitCode> {
  const { values } = parseCommand('doctor', argv, { json: { type: 'boolean' } }, 0);
  const timeoutMs = secondsOption(values.timeout, 'timeout', DEFAULT_TIMEOUT_MS);
  const state: DoctorState = { values, io };
  const reports: CheckReport[] = [];
  const color = colorizer(io.stdout, io.env);
  const paint = { PASS: color.green, FAIL: color.red };
  for (const check of CHECKS) {
    const started = Date.now();
    const outcome = await runBounded(check, state, timeoutMs);
    const report = { name: check.name, ...outcome, durationMs: Date.now() - started };
    reports.push(report);
    if (values.json !== true) {
      const lines = [
        `${paint[report.status](report.status.padEnd(4))}  ${report.name.padEnd(16)}${report.detail}`,
      ];
      if (report.fix !== undefined) lines.push(`      fix: ${report.fix}`);
      io.stdout.write(`${lines.join('\n')}\n`);
    }
  }
  const firstFailure = reports.find((r) => r.status === 'FAIL');
  if (values.json === true) {
    const checks = reports.map(({ exitCode: _exitCode, ...rest }) => rest);
    io.stdout.write(`${JSON.stringify({ ok: firstFailure === undefined, checks }, null, 2)}\n`);
  }
  return firstFailure?.exitCode ?? EXIT_OK;
}
