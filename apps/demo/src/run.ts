import {
  createWitboostAuth,
  redactSecrets,
  redactToken,
  type WitboostAuth,
  type WitboostAuthEvent,
  type WitboostAuthOptions,
} from '@wb/auth-core';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';

// The demo's machinery: where it runs, how a section prints and counts, the summary. What the
// demo shows lives in sections.ts; nothing here knows about any example.

/** One part of the demo: a heading, a row in the summary, and what it does. */
export interface Section {
  title: string;
  /** Row label in the summary table. */
  name: string;
  /** Set when the section needs the embedded emulator: why, printed when it is skipped. */
  needsEmulator?: string;
  run(ctx: SectionContext): Promise<void>;
}

/** What a section gets: the Witboost to talk to, counted clients, and where to print. */
export interface SectionContext {
  readonly baseUrl: string;
  /** The embedded emulator; `undefined` against a real Witboost. */
  readonly wb: WitboostMock | undefined;
  /** The emulator's, or `undefined` against a real Witboost. Throws in a section that needs it. */
  emulator(): WitboostMock;
  /** An access token for a client of its own (the emulator allows one per subject). */
  issueAccessToken(subject: string): string;
  /**
   * `createWitboostAuth` options for any client of this section (an example app, an adapter):
   * this section's access token, plus hooks that print core's events and count what reaches
   * Witboost, which the section's closing line and the summary report.
   */
  witboost(options?: Partial<WitboostAuthOptions>): WitboostAuthOptions;
  /** `createWitboostAuth(ctx.witboost(options))`, closed when the section ends. */
  auth(options?: Partial<WitboostAuthOptions>): WitboostAuth;
  /** Every core event of this section so far, in order. */
  readonly events: readonly WitboostAuthEvent[];
  /** Resolves at the next event of `type` matching `match`. */
  next<T extends WitboostAuthEvent['type']>(
    type: T,
    match?: (event: Extract<WitboostAuthEvent, { type: T }>) => boolean,
  ): Promise<Extract<WitboostAuthEvent, { type: T }>>;
  /** `token #1`, `token #2`…: tells JWTs apart on screen without showing any. */
  label(authorization: string | undefined): string;
  /** Fails the section unless `condition` holds; the message names facts, never secrets. */
  check(condition: boolean, message: string): void;
  /** Runs at the end of the section, even when it fails. */
  defer(cleanup: () => unknown): void;
  readonly print: Printer;
}

/** The line styles of a section. Every line goes through `redactSecrets` first. */
export interface Printer {
  /** A request that goes out. */
  request(text: string): void;
  ok(text: string): void;
  /** An expected refusal the section wants to show (a 401, a 403). */
  refused(text: string): void;
  /** Something to know, dimmed. */
  info(text: string): void;
}

/** Options of {@link runDemo}. */
export interface RunDemoOptions {
  /** Where the output goes. @default process.stdout */
  write?: (text: string) => void;
  /** ANSI colours. @default a TTY without NO_COLOR */
  color?: boolean;
  /** Both `WITBOOST_BASE_URL` and `WITBOOST_ACCESS_TOKEN` set: a real Witboost. @default process.env */
  env?: Record<string, string | undefined>;
}

/**
 * What went to Witboost in one section: the emulator's own counters when there is one (they see
 * every client, axios and Nest's included), else what the section's clients counted.
 */
interface Counts {
  requests: number;
  exchanges: number;
  failedExchanges: number;
}

interface Row {
  name: string;
  status: 'ok' | 'FAILED' | 'skipped';
  counts: Counts;
  ms: number;
}

const EXCHANGE_PATH = '/api/auth/access-tokens/jwt';
const COLOURS = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33, magenta: 35, cyan: 36 };

/** `850 ms`, `2.1 s`, `4 min 58 s`. */
export function duration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1_000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

const scopeOf = (scope: string | undefined) => scope ?? '(none)';
const exchanges = ({ exchanges: n, failedExchanges: failed }: Counts) =>
  failed > 0 ? `${n} (${failed} failed)` : String(n);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One readable line per core event; events never carry a secret. */
function describeEvent(event: WitboostAuthEvent, refreshAt?: number): string | undefined {
  switch (event.type) {
    case 'exchange': {
      const who = event.background ? 'background refresh' : 'exchange';
      const refresh =
        refreshAt === undefined ? '' : `; refresh in ${duration(refreshAt - Date.now())}`;
      return `${who} (${duration(event.durationMs)}): scope ${scopeOf(event.scope)}, lifetime ${event.lifetimeSeconds} s${refresh}; handed out for ${duration(event.expiresAt - Date.now())} at most`;
    }
    case 'exchange_failed': {
      const status = event.status === undefined ? '' : ` HTTP ${event.status}`;
      const retry =
        event.retryInMs === undefined ? 'no retry' : `retry in ${duration(event.retryInMs)}`;
      const serving = event.background ? ', still serving the valid JWT' : '';
      return `exchange failed:${status} ${event.code}, ${retry}${serving}`;
    }
    case 'invalidated':
      return `dropped the JWT (scope ${scopeOf(event.scope)}) after a 401`;
    case 'replay_after_401':
      return `replayed ${event.method} ${new URL(event.url).pathname} with a fresh JWT`;
    case 'token_source_changed':
      return `the access token source returned a new token (${event.source})`;
    case 'clock_warning':
      return `clock warning (${event.reason}): ${duration(Math.abs(event.skewMs))} apart`;
    case 'store_state':
      return `shared token store ${event.state} (${event.reason})`;
    // Per-request detail, too chatty for the screen; refresh_scheduled is printed with its exchange.
    default:
      return undefined;
  }
}

/** Column-aligned rows: the first column left, the others right. */
function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('   ')
      .trimEnd(),
  );
}

/**
 * Runs every section against one embedded emulator (or a real Witboost) and prints what happened,
 * then one table of what each section sent to Witboost. The figures of a section's closing line
 * and of its row are the same counters.
 *
 * @param sections - what to show, in order
 * @param options - output and environment
 * @returns the exit code: 0 when every section did what it promises
 * @example
 * ```ts
 * import { runDemo } from './run.js';
 * import { sections } from './sections.js';
 * process.exitCode = await runDemo(sections);
 * ```
 */
export async function runDemo(
  sections: readonly Section[],
  options: RunDemoOptions = {},
): Promise<number> {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const color = options.color ?? (Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);
  const paint = (code: keyof typeof COLOURS, text: string) =>
    color ? `\u001b[${COLOURS[code]}m${text}\u001b[0m` : text;
  const line = (text: string) => write(`${redactSecrets(text)}\n`);
  const started = performance.now();

  line(paint('bold', 'Witboost API authentication: the demo'));
  const env = options.env ?? process.env;
  const realUrl = env.WITBOOST_BASE_URL?.trim().replace(/\/+$/, '');
  const realToken = env.WITBOOST_ACCESS_TOKEN?.trim();
  let wb: WitboostMock | undefined;
  let baseUrl: string;
  let accessToken: string;
  if (realUrl && realToken) {
    [baseUrl, accessToken] = [realUrl, realToken];
    line(
      paint('dim', `    a real Witboost at ${baseUrl}, access token ${redactToken(accessToken)}`),
    );
  } else {
    // Basic enabled, so one emulator serves every section; Bearer clients never notice.
    wb = await startWitboostMock({ port: 0, basicAuth: true });
    baseUrl = wb.url;
    accessToken = wb.issueAccessToken({ subject: 'service-account:demo' });
    line(
      paint(
        'dim',
        `    one embedded Witboost emulator for everything: ${baseUrl} (JWTs of 300 s, Basic enabled)`,
      ),
    );
    line(paint('dim', `    service-account access token ${redactToken(accessToken)}`));
  }

  const rows: Row[] = [];
  try {
    for (const [index, section] of sections.entries()) {
      line('');
      line(paint('bold', `${index + 1}. ${section.title}`));
      rows.push(await runSection(section));
    }
  } finally {
    await wb?.close();
  }
  printSummary(sections.length + 1);
  return rows.some((row) => row.status === 'FAILED') ? 1 : 0;

  async function runSection(section: Section): Promise<Row> {
    const counts: Counts = { requests: 0, exchanges: 0, failedExchanges: 0 };
    const row: Row = { name: section.name, status: 'ok', counts, ms: 0 };
    if (section.needsEmulator !== undefined && wb === undefined) {
      line(`  ${paint('yellow', '–')} skipped against a real Witboost: ${section.needsEmulator}`);
      row.status = 'skipped';
      return row;
    }
    const events: WitboostAuthEvent[] = [];
    const waiters = new Set<(event: WitboostAuthEvent) => boolean>();
    const cleanups: Array<() => unknown> = [];
    const labels = new Map<string, number>();
    let pending: Extract<WitboostAuthEvent, { type: 'exchange' }> | undefined;
    const event = (text: string) => line(`    ${paint('magenta', '•')} ${text}`);
    const flush = (refreshAt?: number) => {
      const text = pending && describeEvent(pending, refreshAt);
      if (text) event(text);
      pending = undefined;
    };
    const onEvent = (e: WitboostAuthEvent) => {
      events.push(e);
      if (e.type === 'exchange') counts.exchanges += 1;
      if (e.type === 'exchange_failed') {
        counts.exchanges += 1;
        counts.failedExchanges += 1;
      }
      // An exchange is followed by the refresh it schedules: one line for both.
      if (e.type === 'refresh_scheduled' && pending) flush(e.refreshAt);
      else {
        flush();
        if (e.type === 'exchange') pending = e;
        else {
          const text = describeEvent(e);
          if (text) event(text);
        }
      }
      for (const waiter of waiters) if (waiter(e)) waiters.delete(waiter);
    };
    const countingFetch: typeof fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (!new URL(url).pathname.endsWith(EXCHANGE_PATH)) counts.requests += 1;
      return fetch(input, init);
    };
    const print: Printer = {
      request: (text) => line(`  ${paint('cyan', '→')} ${text}`),
      ok: (text) => line(`  ${paint('green', '✓')} ${text}`),
      refused: (text) => line(`  ${paint('yellow', '✗')} ${text}`),
      info: (text) => line(`    ${paint('dim', text)}`),
    };
    const ctx: SectionContext = {
      baseUrl,
      wb,
      emulator() {
        if (wb === undefined) throw new Error('this section needs the embedded emulator');
        return wb;
      },
      issueAccessToken: (subject) => wb?.issueAccessToken({ subject }) ?? accessToken,
      witboost: (more = {}) => ({ baseUrl, accessToken, ...more, onEvent, fetch: countingFetch }),
      auth(more) {
        const auth = createWitboostAuth(ctx.witboost(more));
        cleanups.push(() => auth.close());
        return auth;
      },
      events,
      next: (type, match = () => true) =>
        new Promise((resolve) => {
          waiters.add((e) => {
            if (e.type !== type || !match(e as never)) return false;
            resolve(e as never);
            return true;
          });
        }),
      label(authorization) {
        if (authorization === undefined) return 'no token';
        if (!labels.has(authorization)) labels.set(authorization, labels.size + 1);
        return `token #${labels.get(authorization)}`;
      },
      check(condition, message) {
        if (!condition) throw new Error(message);
      },
      defer: (cleanup) => cleanups.push(cleanup),
      print,
    };
    const before = wb?.stats;
    const sectionStarted = performance.now();
    try {
      await section.run(ctx);
    } catch (error) {
      row.status = 'FAILED';
      line(
        `  ${paint('red', '✗ FAILED')} ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      for (const cleanup of cleanups.reverse()) await cleanup();
      flush();
    }
    row.ms = performance.now() - sectionStarted;
    if (wb !== undefined && before !== undefined) {
      const after = wb.stats;
      row.counts = {
        requests: after.protectedRequests.total - before.protectedRequests.total,
        exchanges: after.exchanges.total - before.exchanges.total,
        failedExchanges: after.exchanges.failed - before.exchanges.failed,
      };
    }
    const { requests, exchanges: n, failedExchanges: failed } = row.counts;
    const failedNote = failed > 0 ? ` (${failed} failed)` : '';
    line(
      paint(
        'dim',
        `    Witboost got ${plural(requests, 'API request')} and ${plural(n, 'exchange')}${failedNote}`,
      ),
    );
    return row;
  }

  function printSummary(number: number): void {
    line('');
    line(paint('bold', `${number}. Summary: what each section sent to Witboost`));
    const total: Counts = { requests: 0, exchanges: 0, failedExchanges: 0 };
    const body = rows.map((row) => {
      if (row.status === 'skipped') return [row.name, '-', '-', '-', 'skipped'];
      total.requests += row.counts.requests;
      total.exchanges += row.counts.exchanges;
      total.failedExchanges += row.counts.failedExchanges;
      return [
        row.name,
        String(row.counts.requests),
        exchanges(row.counts),
        duration(row.ms),
        row.status,
      ];
    });
    const totalMs = performance.now() - started;
    const lines = table([
      ['section', 'API requests', 'exchanges', 'time', ''],
      ...body,
      ['total', String(total.requests), exchanges(total), duration(totalMs), ''],
    ]);
    lines.forEach((text, i) => {
      line(i === 0 || i === lines.length - 1 ? paint('bold', `  ${text}`) : `  ${text}`);
    });
    line(
      paint(
        'dim',
        wb === undefined
          ? '    as counted by the clients: API requests through auth.fetch only, every exchange'
          : '    as counted by the emulator; failed exchanges: the injected outage, unknown caller tokens',
      ),
    );
    const failed = rows.filter((row) => row.status === 'FAILED').length;
    line('');
    line(
      paint(
        'bold',
        failed === 0
          ? `All sections passed in ${duration(totalMs)}.`
          : `${failed} section(s) failed.`,
      ),
    );
  }
}
