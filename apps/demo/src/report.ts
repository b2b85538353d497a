/** A tiny reporter: short sections, aligned lines, colour only where it helps. */
export interface Reporter {
  title(text: string): void;
  /** A numbered section heading. */
  section(text: string): void;
  /** A request that went out, e.g. `GET /api/catalog/entities`. */
  request(text: string): void;
  ok(text: string): void;
  /** An expected refusal (a 401 or 403 the section wants to show). */
  refused(text: string): void;
  /** Something `@wb/auth-core` reported through `onEvent`. */
  event(text: string): void;
  /** A line printed by an example app, indented under its section. */
  log(text: string): void;
  /** A section that does not run here, and why. */
  skip(text: string): void;
  info(text: string): void;
  /** An unindented line, e.g. a table row. */
  line(text: string, style?: 'bold' | 'dim'): void;
  fail(text: string): void;
}

export interface ReporterOptions {
  /** Where lines go. @default process.stdout.write */
  write?: (text: string) => void;
  /** Use ANSI colours. @default a TTY and no NO_COLOR */
  color?: boolean;
}

/** Whether this terminal wants colour (https://no-color.org: any non-empty NO_COLOR). */
export function wantsColor(): boolean {
  return Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
}

const CODES = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33, magenta: 35, cyan: 36 } as const;

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
    event: (text) => line(`    ${paint('magenta', '•')} ${text}`),
    log: (text) => line(`  ${paint('dim', '│')} ${text}`),
    skip: (text) => line(`  ${paint('yellow', '–')} ${text}`),
    info: (text) => line(`    ${paint('dim', text)}`),
    line: (text, style) => line(style ? paint(style, text) : text),
    fail: (text) => line(`  ${paint('red', '✗ FAILED')} ${text}`),
  };
}
