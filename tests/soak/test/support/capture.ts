import { inspect } from 'node:util';
import { basicAuthorization, type WitboostAuthEvent, type WitboostLogger } from '@wb/auth-core';

/** A compact JWS anywhere in text: base64url of `{"` then at least two dot-separated segments. */
export const JWT_PATTERN = /eyJ[\w-]+\.[\w-]+/;
/** A full access token (the redacted form `wbat-…abcd` does not match). */
export const ACCESS_TOKEN_PATTERN = /wbat-[A-Za-z0-9_-]{8,}/;

/** One piece of captured text and where it came from, so a failure names its origin. */
export interface Captured {
  origin: string;
  text: string;
}

/** A leak found in captured text. */
export interface Leak {
  origin: string;
  kind: string;
  excerpt: string;
}

/**
 * Collects every piece of text our packages produce (log lines, events, errors, inspections of
 * our objects, HTTP bodies) and the secrets a test handled, then reports where a secret shows up.
 */
export interface LeakCapture {
  /** Pino-compatible logger recording `(obj, msg)` pairs as JSON. */
  readonly logger: WitboostLogger;
  /** `onEvent` hook recording each event as JSON. */
  readonly onEvent: (event: WitboostAuthEvent) => void;
  readonly events: WitboostAuthEvent[];
  readonly logLines: number;
  /** Registers a secret (access token or JWT) that must appear nowhere. */
  secret(value: string): void;
  text(origin: string, value: string): void;
  /** message, `String()`, `JSON.stringify()` and `util.inspect(depth 5)` of an error. */
  error(origin: string, error: unknown): void;
  /** `util.inspect(depth 5)` and `JSON.stringify()` of one of our objects. */
  object(origin: string, value: unknown): void;
  readonly size: number;
  leaks(): Leak[];
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'undefined';
  } catch (error) {
    // A circular structure is not a leak; what the serializer said about it is still captured.
    return `[JSON.stringify threw: ${String(error)}]`;
  }
}

function excerptAround(text: string, index: number): string {
  // Shows where the secret sits without printing all of it into the test report.
  return `${text.slice(Math.max(0, index - 60), index)}<<SECRET@${index}>>`;
}

export function createLeakCapture(): LeakCapture {
  const captured: Captured[] = [];
  const secrets = new Set<string>();
  const events: WitboostAuthEvent[] = [];
  let logLines = 0;

  const push = (origin: string, text: string) => captured.push({ origin, text });
  const logAt =
    (level: string) =>
    (obj: object, msg?: string): void => {
      logLines++;
      push(`log.${level}`, safeJson([obj, msg]));
    };

  return {
    logger: {
      debug: logAt('debug'),
      info: logAt('info'),
      warn: logAt('warn'),
      error: logAt('error'),
    },
    onEvent(event) {
      events.push(event);
      push(`event.${event.type}`, safeJson(event));
    },
    events,
    get logLines() {
      return logLines;
    },
    secret(value) {
      if (value === '') return;
      secrets.add(value);
      if (value.startsWith('wbat-')) secrets.add(basicAuthorization(value).slice('Basic '.length));
    },
    text: push,
    error(origin, error) {
      if (error instanceof Error) push(`${origin}.message`, error.message);
      push(`${origin}.String`, String(error));
      push(`${origin}.JSON`, safeJson(error));
      push(`${origin}.inspect`, inspect(error, { depth: 5 }));
    },
    object(origin, value) {
      push(`${origin}.inspect`, inspect(value, { depth: 5, showHidden: false }));
      push(`${origin}.JSON`, safeJson(value));
    },
    get size() {
      return captured.length;
    },
    leaks() {
      const found: Leak[] = [];
      for (const { origin, text } of captured) {
        for (const secret of secrets) {
          const at = text.indexOf(secret);
          if (at >= 0)
            found.push({ origin, kind: 'known secret', excerpt: excerptAround(text, at) });
        }
        for (const [kind, pattern] of [
          ['JWT pattern', JWT_PATTERN],
          ['access token pattern', ACCESS_TOKEN_PATTERN],
        ] as const) {
          const match = pattern.exec(text);
          if (match) found.push({ origin, kind, excerpt: excerptAround(text, match.index) });
        }
      }
      return found;
    },
  };
}
