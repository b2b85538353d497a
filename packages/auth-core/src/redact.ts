// Shortest secret whose last four characters may be shown without giving much of it away.
const MIN_LENGTH_TO_SHOW_TAIL = 12;
const JWT_SHAPE = /^eyJ[\w-]*\.[\w-]*\.[\w-]*$/;

// Every pattern below is linear: each quantified class excludes the character that follows it,
// and the JWT pattern may only start after a non-word character, so a long run of `eyJeyJ…`
// cannot make the engine rescan the input from every position.
const WBAT_PATTERN = /wbat-[A-Za-z0-9_-]+/g;
const JWT_PATTERN = /(?<![\w-])eyJ[\w-]*\.[\w-]*\.[\w-]*/g;
const HEADER_PATTERN = /\b(Basic|Bearer)([ \t]+)([A-Za-z0-9+/=._~-]+)/gi;
const JSON_FIELD_PATTERN = /("(?:access_?token|jwt|token|password)"[ \t]*:[ \t]*")([^"\\\r\n]*)"/gi;
// base64 of `witboost:` (the Basic credential's start) wherever it appears, JSON-escaped
// (`\/`) or percent-encoded: the class excludes `\` and `%`, so the alternatives never overlap.
const BASIC_CREDENTIAL_PATTERN = /d2l0Ym9vc3Q6(?:[A-Za-z0-9+/=_-]|\\\/|%2[BbFf]|%3[Dd])*/g;

/**
 * A label for a credential, enough to tell two apart in a log line, never to use one:
 * `wbat-…abcd`, `eyJ…(jwt)` for a JWT, `…abcd` for another token, `…` when it is too short.
 *
 * @param token - An access token, JWT or other credential.
 * @returns The redacted label.
 *
 * @example
 * ```ts
 * import { redactToken } from '@wb/auth-core';
 * redactToken(process.env.WITBOOST_ACCESS_TOKEN ?? ''); // e.g. 'wbat-…wxyz'
 * ```
 */
export function redactToken(token: string): string {
  if (typeof token !== 'string') return '…';
  if (JWT_SHAPE.test(token)) return 'eyJ…(jwt)';
  const prefix = token.startsWith('wbat-') ? 'wbat-' : '';
  const rest = token.slice(prefix.length);
  if (rest.length < MIN_LENGTH_TO_SHOW_TAIL) return `${prefix}…`;
  return `${prefix}…${rest.slice(-4)}`;
}

/**
 * Replaces every credential in free text: `wbat-…` tokens, JWT-shaped strings, `Basic`/`Bearer`
 * header values, base64 of `witboost:<token>` anywhere, and `"access_token"`/`"jwt"`/`"token"`/`"password"` JSON fields. Linear time.
 *
 * @param text - Any text, e.g. an error message or a response body.
 * @returns The text with every credential replaced by its {@link redactToken} label.
 *
 * @example
 * ```ts
 * import { redactSecrets } from '@wb/auth-core';
 * logger.warn({ detail: redactSecrets(String(error)) }, 'token source failed');
 * ```
 */
export function redactSecrets(text: string): string {
  if (typeof text !== 'string') return '';
  return text
    .replace(BASIC_CREDENTIAL_PATTERN, '…')
    .replace(HEADER_PATTERN, (whole, scheme: string, space: string, value: string) =>
      looksLikeCredential(value) ? `${scheme}${space}${headerLabel(scheme, value)}` : whole,
    )
    .replace(JSON_FIELD_PATTERN, (_whole, key: string, value: string) =>
      value === '' ? `${key}"` : `${key}${redactToken(value)}"`,
    )
    .replace(JWT_PATTERN, 'eyJ…(jwt)')
    .replace(WBAT_PATTERN, (token) => redactToken(token));
}

function headerLabel(scheme: string, value: string): string {
  // A Basic value is base64 of the whole credential: even its tail is not ours to show.
  return scheme.toLowerCase() === 'basic' ? '…' : redactToken(value);
}

// Prose after "Basic"/"Bearer" ("Basic authentication is disabled") survives: credentials are
// long and carry digits, symbols or mixed case.
function looksLikeCredential(value: string): boolean {
  if (value.length < 8) return false;
  return /[0-9+/=._~-]/.test(value) || /[A-Z]/.test(value.slice(1));
}

// Shortest piece of a held secret that counts as a leak: shorter runs occur by chance.
const FRAGMENT = 8;
const MAX_EXAMINED = 4096;
// Whitespace, zero-width and bidi marks: a secret split by them still reads as the secret.
const INVISIBLE = /[\s\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/;
const HEX4 = /^[0-9a-fA-F]{4}$/;
const HEX2 = /^[0-9a-fA-F]{2}$/;

/**
 * Untrusted text (a server's message) without any trace of the secrets we hold: whole, without
 * `wbat-`, in base64(url) at any byte alignment (so inside a Basic header), JSON- or
 * percent-escaped, split by invisible characters: any run of {@link FRAGMENT} characters of
 * those forms becomes `…`. Then {@link redactSecrets}; only the first 4096 characters are kept.
 * With no secrets held it is {@link redactSecrets} alone.
 */
export function redactHeldSecrets(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0) return redactSecrets(text);
  let out = typeof text === 'string' ? text.slice(0, MAX_EXAMINED) : '';
  const held = secrets.filter((secret) => typeof secret === 'string' && secret.length >= 4);
  for (const secret of held) out = out.split(secret).join(redactToken(secret));
  const fragments = fragmentsOf(held);
  if (fragments.size > 0) out = removeFragments(out, fragments);
  return redactSecrets(out);
}

function fragmentsOf(secrets: readonly string[]): Set<string> {
  const pieces = new Set<string>();
  for (const secret of secrets) {
    const core = secret.startsWith('wbat-') ? secret.slice(5) : secret;
    // A secret this short is only replaced whole: its pieces would match ordinary words.
    if (core.length < FRAGMENT) continue;
    for (const form of [core, ...base64Forms(secret), ...base64Forms(core)]) {
      for (let i = 0; i + FRAGMENT <= form.length; i++) pieces.add(form.slice(i, i + FRAGMENT));
    }
  }
  return pieces;
}

/** base64(url) of `value` at the three byte alignments, edge groups cut off. */
function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const forms: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    // The first group mixes the padding bytes, the last one what follows the secret.
    const stable = encoded.slice(shift === 0 ? 0 : 4, -4);
    forms.push(stable, stable.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
}

/** Each stretch of `text` that, decoded and without invisible characters, holds a fragment. */
function removeFragments(text: string, fragments: ReadonlySet<string>): string {
  // The decoded view, and for each of its characters where it starts and ends in `text`.
  let view = '';
  const from: number[] = [];
  const to: number[] = [];
  for (let i = 0; i < text.length; ) {
    const char = text[i] as string;
    let decoded = char;
    let width = 1;
    if (char === '\\' && text[i + 1] === 'u' && HEX4.test(text.slice(i + 2, i + 6))) {
      decoded = String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16));
      width = 6;
    } else if (char === '\\' && text[i + 1] === '/') {
      decoded = '/';
      width = 2;
    } else if (char === '%' && HEX2.test(text.slice(i + 1, i + 3))) {
      decoded = String.fromCharCode(Number.parseInt(text.slice(i + 1, i + 3), 16));
      width = 3;
    }
    if (!INVISIBLE.test(decoded)) {
      view += decoded;
      from.push(i);
      to.push(i + width);
    }
    i += width;
  }
  const cut = new Uint8Array(text.length + 1);
  for (let v = 0; v + FRAGMENT <= view.length; v++) {
    if (!fragments.has(view.slice(v, v + FRAGMENT))) continue;
    // The whole stretch from the fragment's first to its last character, separators included.
    cut.fill(1, from[v] as number, to[v + FRAGMENT - 1] as number);
  }
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (cut[i] === 0) out += text[i];
    else if (i === 0 || cut[i - 1] === 0) out += '…';
  }
  return out;
}

const MAX_DEPTH = 4;

/**
 * A redacted copy of an error's facts (name, message, stack, string `code`, cause chain), never
 * the original: `util.inspect` of its carrier would print its other fields (an HTTP client's
 * `config.headers.Authorization`). A string is redacted; anything else is dropped. `held` are
 * secrets we know (see {@link redactHeldSecrets}), removed in every form too.
 */
export function sanitizeCause(cause: unknown, held: readonly string[] = [], depth = 0): unknown {
  const clean = (text: string) => redactHeldSecrets(text, held);
  if (typeof cause === 'string') return truncate(clean(cause), 300);
  if (!(cause instanceof Error) || depth > MAX_DEPTH) return undefined;
  const inner = sanitizeCause(cause.cause, held, depth + 1);
  const copy = new Error(
    truncate(clean(String(cause.message)), 300),
    inner === undefined ? {} : { cause: inner },
  );
  copy.name = typeof cause.name === 'string' ? truncate(clean(cause.name), 100) : 'Error';
  copy.stack = typeof cause.stack === 'string' ? clean(cause.stack) : undefined;
  const code = (cause as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(copy, { code: truncate(clean(code), 100) });
  return copy;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
