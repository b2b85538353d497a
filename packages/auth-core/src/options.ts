import { MAX_TIMER_MS } from './engine/clock.js';
import { invalidOption, typeName } from './errors.js';
import { toWitboostLogger } from './logger-adapter.js';
import type { TokenStore } from './store/token-store.js';
import { resolveTelemetry, type Telemetry } from './telemetry/telemetry.js';
import type {
  AuthMode,
  Principal,
  RefreshOptions,
  WitboostAuthEvent,
  WitboostAuthOptions,
  WitboostLogger,
} from './types.js';
import { parseCredentialUrl } from './url/resolve.js';

export type ResolvedRefresh = Required<RefreshOptions>;

interface ResolvedScopeRule {
  pathPrefix: string;
  scope: string | undefined;
  /** `undefined`: any credential-receiving origin. */
  origin: string | undefined;
}

/** Validated options, shared by an instance and every identity made from it. */
export interface ResolvedConfig {
  /** Origin + path, no trailing slash. */
  baseUrl: string;
  baseOrigin: string;
  basePath: string;
  mode: AuthMode;
  durationSeconds: number;
  /** Credential-receiving origins with the scope each imposes. */
  origins: ReadonlyMap<string, string | undefined>;
  /** User rules first, then each origin's own scope, then the default CG rules. */
  rules: readonly ResolvedScopeRule[];
  refresh: ResolvedRefresh;
  keepWarm: boolean;
  allowInsecureHttp: boolean;
  fetch: typeof globalThis.fetch;
  logger: WitboostLogger | undefined;
  onEvent: ((event: WitboostAuthEvent) => void) | undefined;
  principal: Principal;
  maxScopes: number;
  telemetry: Telemetry | undefined;
  store: TokenStore | undefined;
}

export const REFRESH_DEFAULTS: ResolvedRefresh = {
  refreshAtRatio: 0.5,
  jitterRatio: 0.2,
  expiryMarginMs: 500,
  exchangeTimeoutMs: 10_000,
  initialBackoffMs: 500,
  maxBackoffMs: 30_000,
  maxAttempts: 3,
  rejectionCooldownMs: 5_000,
  maxWaitMs: 10_000,
};

export const DEFAULT_DURATION_SECONDS = 300;
// A service uses a handful of scopes; tens cover any sane set, at 1–2 KB each.
const DEFAULT_MAX_SCOPES = 32;

const COMPUTATIONAL_GOVERNANCE_SCOPE = 'service:computational-governance';
const COMPUTATIONAL_GOVERNANCE_PATH = '/api/computational-governance';

// Looked up per call, so a fetch mock installed after creation (nock, msw, undici) applies.
export const lateBoundFetch: typeof globalThis.fetch = (input, init) =>
  globalThis.fetch(input, init);

/**
 * A copy of an options object with only the caller's own enumerable properties, on a null
 * prototype, so a polluted `Object.prototype` (`origins`, `fetch`, `allowInsecureHttp`…) is never
 * read as an option. Use it on every options object a public function receives, nested ones too.
 *
 * @param options - What the caller passed.
 * @returns The copy, or `options` itself when it is not a non-array object.
 *
 * @example
 * ```ts
 * import { ownOptions } from '@wb/auth-core';
 * const { auth, timeoutMs } = ownOptions(options); // never Object.prototype.auth
 * ```
 */
export function ownOptions<T>(options: T): T {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return options;
  return Object.assign(Object.create(null), options);
}

/** Validates every option but the access token. */
export function resolveOptions(given: WitboostAuthOptions): ResolvedConfig {
  const options = ownOptions(given);
  if (typeof options !== 'object' || options === null) {
    invalidOption(`createWitboostAuth expects an options object, got ${typeName(options)}`);
  }
  const allowInsecureHttp = optionalBoolean(options.allowInsecureHttp, 'allowInsecureHttp');
  const { origin: baseOrigin, path: basePath } = checkBaseUrl(options.baseUrl, allowInsecureHttp);
  const mode = oneOf(options.mode ?? 'bearer', ['bearer', 'basic'], 'mode');
  const durationSeconds = checkDurationSeconds(options.durationSeconds ?? DEFAULT_DURATION_SECONDS);
  const maxScopes = options.maxScopes ?? DEFAULT_MAX_SCOPES;
  if (!Number.isSafeInteger(maxScopes) || maxScopes < 1) {
    invalidOption(`maxScopes must be an integer >= 1 (got ${describeValue(maxScopes)})`);
  }

  const origins = resolveOrigins(options.origins, baseOrigin, allowInsecureHttp);
  const rules = resolveRules(options.scopes, origins);
  for (const [origin, scope] of origins) {
    if (scope !== undefined) rules.push({ pathPrefix: '/', scope, origin });
  }
  const cg = { scope: COMPUTATIONAL_GOVERNANCE_SCOPE, pathPrefix: COMPUTATIONAL_GOVERNANCE_PATH };
  rules.push({ ...cg, pathPrefix: basePath + cg.pathPrefix, origin: baseOrigin });
  for (const origin of origins.keys()) {
    if (origin !== baseOrigin) rules.push({ ...cg, origin });
  }

  return {
    baseUrl: baseOrigin + basePath,
    baseOrigin,
    basePath,
    mode,
    durationSeconds,
    origins,
    rules,
    refresh: resolveRefresh(options.refresh),
    keepWarm: optionalBoolean(options.keepWarm, 'keepWarm'),
    allowInsecureHttp,
    fetch: optionalFunction(options.fetch, 'fetch') ?? lateBoundFetch,
    logger: toWitboostLogger(options.logger),
    onEvent: optionalFunction(options.onEvent, 'onEvent'),
    principal: oneOf(options.principal ?? 'service', ['service', 'caller'], 'principal'),
    maxScopes,
    telemetry: resolveTelemetry(options.tracerProvider, options.meterProvider),
    store: resolveStore(options),
  };
}

/** `baseUrl` as origin and path (no trailing slash): http(s), no query or fragment. */
export function checkBaseUrl(
  value: unknown,
  allowInsecureHttp: boolean,
): { origin: string; path: string } {
  if (value === undefined || value === '') {
    invalidOption('baseUrl is required, e.g. https://witboost.example.com');
  }
  const url = parseCredentialUrl(value, 'baseUrl', allowInsecureHttp);
  if (url.search !== '' || url.hash !== '') {
    invalidOption('baseUrl must not have a query string or a fragment');
  }
  return { origin: url.origin, path: url.pathname.replace(/\/+$/, '') };
}

export function checkDurationSeconds(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    invalidOption(`durationSeconds must be an integer >= 1 (got ${describeValue(value)})`);
  }
  // Keeps every derived timer delay within setTimeout's 32-bit range.
  if (value > 2_000_000) invalidOption('durationSeconds must be at most 2000000');
  return value;
}

/** A delay setTimeout can honour: more than 0 and at most 2^31 − 1 ms. */
export function checkTimeoutMs(value: unknown, what: string): number {
  if (typeof value !== 'number' || !(value > 0) || value > MAX_TIMER_MS) {
    invalidOption(
      `${what} must be a positive number of milliseconds (got ${describeValue(value)})`,
    );
  }
  return value;
}

export function optionalFunction<T>(value: T, what: string): T {
  if (value !== undefined && typeof value !== 'function') {
    invalidOption(`${what} must be a function (got ${typeName(value)})`);
  }
  return value;
}

// RFC 6749 scope-token characters, single spaces between tokens: what the server can parse.
const SCOPE_PATTERN = /^[\x21\x23-\x5b\x5d-\x7e]+(?: [\x21\x23-\x5b\x5d-\x7e]+)*$/;

export function isValidScope(scope: unknown): scope is string {
  return typeof scope === 'string' && scope.length <= 1024 && SCOPE_PATTERN.test(scope);
}

/** One spelling per scope set (deduplicated, sorted): one cached JWT, and what is sent. */
export function canonicalScope(scope: string): string {
  return [...new Set(scope.split(' '))].sort().join(' ');
}

/** A scope option in its canonical spelling. */
export function checkScope(scope: unknown, what: string): string {
  if (!isValidScope(scope)) {
    invalidOption(
      `${what} must be a space-separated list of scopes such as '${COMPUTATIONAL_GOVERNANCE_SCOPE}' (printable ASCII, no quotes or backslashes, single spaces)`,
    );
  }
  return canonicalScope(scope);
}

const STORE_METHODS = ['get', 'set', 'setIfAbsent', 'deleteIfEquals'] as const;

function resolveStore(options: WitboostAuthOptions): TokenStore | undefined {
  const store: unknown = Object.hasOwn(options, 'store') ? options.store : undefined;
  if (store === undefined) return undefined;
  const candidate = store as Record<string, unknown> | null;
  if (
    typeof store !== 'object' ||
    STORE_METHODS.some((m) => typeof candidate?.[m] !== 'function')
  ) {
    invalidOption(
      `store must be a TokenStore with ${STORE_METHODS.join(', ')} methods, such as redisTokenStore({ client }) from @wb/auth-redis (got ${typeName(store)})`,
    );
  }
  return store as TokenStore;
}

function resolveOrigins(
  entries: WitboostAuthOptions['origins'],
  baseOrigin: string,
  allowInsecureHttp: boolean,
): Map<string, string | undefined> {
  const origins = new Map<string, string | undefined>([[baseOrigin, undefined]]);
  if (entries === undefined) return origins;
  if (!Array.isArray(entries)) invalidOption(`origins must be an array (got ${typeName(entries)})`);
  const listed = new Set<string>();
  entries.forEach((entry: unknown, index) => {
    const what = `origins[${index}]`;
    let raw: unknown = entry;
    let scope: string | undefined;
    if (typeof entry === 'object' && entry !== null && !(entry instanceof URL)) {
      const extra = ownOptions(entry) as { url?: unknown; scope?: unknown };
      raw = extra.url;
      if (extra.scope !== undefined) scope = checkScope(extra.scope, `${what}.scope`);
    }
    const origin = parseCredentialUrl(raw, what, allowInsecureHttp).origin;
    if (listed.has(origin)) invalidOption(`${what} lists the origin ${origin} twice`);
    listed.add(origin);
    origins.set(origin, scope);
  });
  return origins;
}

function resolveRules(
  rules: WitboostAuthOptions['scopes'],
  origins: ReadonlyMap<string, string | undefined>,
): ResolvedScopeRule[] {
  if (rules === undefined) return [];
  if (!Array.isArray(rules)) invalidOption(`scopes must be an array (got ${typeName(rules)})`);
  return rules.map((rule: unknown, index) => {
    const what = `scopes[${index}]`;
    if (typeof rule !== 'object' || rule === null) {
      invalidOption(`${what} must be an object { pathPrefix, scope, origin? }`);
    }
    const { pathPrefix, scope, origin } = ownOptions(rule) as Record<string, unknown>;
    if (
      typeof pathPrefix !== 'string' ||
      !pathPrefix.startsWith('/') ||
      /[?#\s]/.test(pathPrefix)
    ) {
      invalidOption(
        `${what}.pathPrefix must be a path starting with '/' without query, fragment or spaces`,
      );
    }
    const checkedScope = checkScope(scope, `${what}.scope`);
    let ruleOrigin: string | undefined;
    if (origin !== undefined) {
      if (!URL.canParse(String(origin))) invalidOption(`${what}.origin must be an absolute URL`);
      ruleOrigin = new URL(String(origin)).origin;
      if (!origins.has(ruleOrigin)) {
        invalidOption(
          `${what}.origin ${ruleOrigin} is neither baseUrl's origin nor listed in origins`,
        );
      }
    }
    const prefix = pathPrefix.length > 1 ? pathPrefix.replace(/\/+$/, '') : pathPrefix;
    return { pathPrefix: prefix === '' ? '/' : prefix, scope: checkedScope, origin: ruleOrigin };
  });
}

function resolveRefresh(given: WitboostAuthOptions['refresh']): ResolvedRefresh {
  const r = { ...REFRESH_DEFAULTS };
  if (given === undefined) return r;
  const refresh = ownOptions(given);
  if (typeof refresh !== 'object' || refresh === null) {
    invalidOption(`refresh must be an object (got ${typeName(refresh)})`);
  }
  for (const [key, value] of Object.entries(refresh)) {
    if (value === undefined) continue;
    if (!(key in REFRESH_DEFAULTS)) {
      invalidOption(
        `refresh.${key} is not a known option (known: ${Object.keys(REFRESH_DEFAULTS).join(', ')})`,
      );
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      invalidOption(`refresh.${key} must be a finite number (got ${describeValue(value)})`);
    }
    r[key as keyof ResolvedRefresh] = value;
  }
  const need = (ok: boolean, message: string) => {
    if (!ok) invalidOption(`refresh.${message}`);
  };
  const { refreshAtRatio, jitterRatio } = r;
  need(
    refreshAtRatio > 0 && refreshAtRatio < 1,
    `refreshAtRatio must be between 0 and 1 exclusive (got ${refreshAtRatio})`,
  );
  need(
    jitterRatio >= 0 && jitterRatio < 1,
    `jitterRatio must be >= 0 and < 1 (got ${jitterRatio})`,
  );
  need(
    refreshAtRatio + jitterRatio < 1,
    `refreshAtRatio + refresh.jitterRatio must be below 1, or refresh would start after expiry (got ${refreshAtRatio + jitterRatio})`,
  );
  for (const key of ['expiryMarginMs', 'rejectionCooldownMs'] as const) {
    need(r[key] >= 0, `${key} must be >= 0 (got ${r[key]})`);
  }
  if (refresh.maxWaitMs === undefined) r.maxWaitMs = r.exchangeTimeoutMs;
  for (const key of [
    'exchangeTimeoutMs',
    'initialBackoffMs',
    'maxBackoffMs',
    'maxWaitMs',
  ] as const) {
    checkTimeoutMs(r[key], `refresh.${key}`);
  }
  need(
    r.maxBackoffMs >= r.initialBackoffMs,
    `maxBackoffMs (${r.maxBackoffMs}) must be >= refresh.initialBackoffMs (${r.initialBackoffMs})`,
  );
  need(
    Number.isInteger(r.maxAttempts) && r.maxAttempts >= 1,
    `maxAttempts must be an integer >= 1 (got ${r.maxAttempts})`,
  );
  return r;
}

function optionalBoolean(value: unknown, what: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') {
    invalidOption(`${what} must be a boolean (got ${typeName(value)})`);
  }
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (!allowed.includes(value as T)) {
    const choices = allowed.map((choice) => `'${choice}'`).join(' or ');
    invalidOption(`${what} must be ${choices} (got ${describeValue(value)})`);
  }
  return value as T;
}

/** A bad value in a message: numbers and tiny identifiers only, never anything secret-like. */
function describeValue(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string' && /^[\w-]{0,20}$/.test(value) && !/^(?:wbat-|eyJ)/.test(value)) {
    return `'${value}'`;
  }
  return typeName(value);
}
