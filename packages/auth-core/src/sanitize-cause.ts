import { redactSecrets } from './redact.js';

const MAX_DEPTH = 4;

/**
 * A copy of a low-level error that keeps its facts (name, message, stack, string `code`, cause
 * chain) with every credential redacted, and nothing else. The original is never kept: its own
 * fields (an HTTP client's `config.headers.Authorization`, a request body) would be printed by
 * `util.inspect` of any error carrying it as `cause`. A string becomes its redacted text; any
 * other value is dropped.
 */
export function sanitizeCause(cause: unknown, depth = 0): unknown {
  if (typeof cause === 'string') return truncate(redactSecrets(cause), 300);
  if (!(cause instanceof Error) || depth > MAX_DEPTH) return undefined;
  const inner = sanitizeCause(cause.cause, depth + 1);
  const copy = new Error(
    truncate(redactSecrets(String(cause.message)), 300),
    inner === undefined ? {} : { cause: inner },
  );
  copy.name = typeof cause.name === 'string' ? truncate(redactSecrets(cause.name), 100) : 'Error';
  copy.stack = typeof cause.stack === 'string' ? redactSecrets(cause.stack) : undefined;
  const code = (cause as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(copy, { code: truncate(redactSecrets(code), 100) });
  return copy;
}

/** `text` cut to `max` characters, an ellipsis marking the cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
