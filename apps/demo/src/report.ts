/** A tiny reporter: short sections, aligned lines, colour only where it helps. */
export interface Reporter {
  title(text: string): void;
  section(text: string): void;
  /** A request that went out, e.g. `POST /api/auth/access-tokens/jwt`. */
  request(text: string): void;
  ok(text: string): void;
  /** An expected refusal (a 401 or 403 the step wants to show). */
  refused(text: string): void;
  info(text: string): void;
  fail(text: string): void;
}

export interface ReporterOptions {
  /** Where lines go. @default process.stdout.write */
  write?: (text: string) => void;
  /** Use ANSI colours. @default a TTY and no NO_COLOR */
  color?: boolean;
}

/** Whether this terminal wants colour (https://no-color.org). */
export function wantsColor(): boolean {
  return Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
}

const CODES = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33, cyan: 36 } as const;

export function createReporter(options: ReporterOptions = {}): Reporter {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const color = options.color ?? wantsColor();
  let sectionCount = 0;
  const paint = (code: keyof typeof CODES, text: string) =>
    color ? `\u001b[${CODES[code]}m${text}\u001b[0m` : text;
  const line = (text: string) => write(`${text}\n`);

  return {
    title: (text) => line(paint('bold', text)),
    section(text) {
      sectionCount += 1;
      line('');
      line(paint('bold', `${sectionCount}. ${text}`));
    },
    request: (text) => line(`  ${paint('cyan', '→')} ${text}`),
    ok: (text) => line(`  ${paint('green', '✓')} ${text}`),
    refused: (text) => line(`  ${paint('yellow', '✗')} ${text}`),
    info: (text) => line(`    ${paint('dim', text)}`),
    fail: (text) => line(`  ${paint('red', '✗ FAILED')} ${text}`),
  };
}
