import { invalidOption, typeName } from './errors.js';
import { toWitboostLogger } from './logger-adapter.js';
import type { TokenStore } from './store/token-store.js';
import { resolveTelemetry, type Telemetry } from './telemetry/telemetry.js';
import type {
  AuthMode,
  Principal,
  WitboostAuthEvent,
  WitboostAuthOptions,
  WitboostLogger,
} from './types.js';
import { parseCredentialUrl } from './url/resolve.js';

/** Refresh tuning with every default filled in. */
export interface ResolvedRefresh {
  refreshAtRatio: number;
  jitterRatio: number;
  expiryMarginMs: number;
  exchangeTimeoutMs: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  maxAttempts: number;
  rejectionCooldownMs: number;
  maxWaitMs: number;
}

/** A scope rule bound to its origins, checked per URL in order. */
export interface ResolvedScopeRule {
  pathPrefix: string;
  scope: string | undefined;
  /** `undefined`: any credential-receiving origin. */
  origin: string | undefined;
}

/** Validated, normalised options shared by an instance and every `withAccessToken` child. */
export interface ResolvedConfig {
  /** Origin + path, no trailing slash. */
  baseUrl: string;
  baseOrigin: string;
  basePath: string;
  mode: AuthMode;
  durationSeconds: number;
  /** Credential-receiving origins with the scope each one imposes (`undefined`: none). */
  origins: ReadonlyMap<string, string | undefined>;
  /** User rules first, then the default Computational Governance rule(s). */
  rules: readonly ResolvedScopeRule[];
  refresh: ResolvedRefresh;
  keepWarm: boolean;
  allowInsecureHttp: boolean;
  fetch: typeof globalThis.fetch;
  logger: WitboostLogger | undefined;
  onEvent: ((event: WitboostAuthEvent) => void) | undefined;
  principal: Principal;
  /** Most scopes cached at once (LRU beyond it). */
  maxScopes: number;
  /** Spans and metrics (`tracerProvider` / `meterProvider`, else `@opentelemetry/api`'s globals). */
  telemetry: Telemetry | undefined;
  /** Shared token store (L2), if any. */
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
/** A service uses a handful of scopes; tens cover any sane set, at 1–2 KB each. */
export const DEFAULT_MAX_SCOPES = 32;

// Resolved lazily so a fetch interceptor installed after creation (nock, msw, undici mocks) applies.
export const lateBoundFetch: typeof globalThis.fetch = (input, init) =>
  globalThis.fetch(input, init);

/** Validates every option except the access token and returns the normalised configuration. */
export function resolveOptions(given: WitboostAuthOptions): ResolvedConfig {
  const options = ownOptions(given);
  if (typeof options !== 'object' || options === null) {
    invalidOption(`createWitboostAuth expects an options object, got ${typeName(options)}`);
  }
  const allowInsecureHttp = optionalBoolean(options.allowInsecureHttp, 'allowInsecureHttp');
  if (options.baseUrl === undefined || options.baseUrl === '') {
    invalidOption('baseUrl is required, e.g. https://witboost.example.com');
  }
  const base = parseCredentialUrl(options.baseUrl, 'baseUrl', allowInsecureHttp);
  if (base.search !== '' || base.hash !== '') {
    invalidOption('baseUrl must not have a query string or a fragment');
  }
  const basePath = base.pathname.replace(/\/+$/, '');
  const baseOrigin = base.origin;

  const mode = options.mode ?? 'bearer';
  if (mode !== 'bearer' && mode !== 'basic') {
    invalidOption(`mode must be 'bearer' or 'basic' (got ${describeValue(mode)})`);
  }

  const durationSeconds = checkDurationSeconds(options.durationSeconds ?? DEFAULT_DURATION_SECONDS);
  const maxScopes = options.maxScopes ?? DEFAULT_MAX_SCOPES;
  if (!Number.isSafeInteger(maxScopes) || maxScopes < 1) {
    invalidOption(`maxScopes must be an integer >= 1 (got ${describeValue(maxScopes)})`);
  }

  const origins = resolveOrigins(options.origins, baseOrigin, allowInsecureHttp);
  const userRules = resolveRules(options.scopes, origins);
  const rules: ResolvedScopeRule[] = [...userRules];
  for (const [origin, scope] of origins) {
    if (scope !== undefined) rules.push({ pathPrefix: '/', scope, origin });
  }
  rules.push({
    pathPrefix: basePath + COMPUTATIONAL_GOVERNANCE_PATH,
    scope: COMPUTATIONAL_GOVERNANCE_SCOPE,
    origin: baseOrigin,
  });
  for (const origin of origins.keys()) {
    if (origin !== baseOrigin) {
      rules.push({
        pathPrefix: COMPUTATIONAL_GOVERNANCE_PATH,
        scope: COMPUTATIONAL_GOVERNANCE_SCOPE,
        origin,
      });
    }
  }

  const principal = options.principal ?? 'service';
  if (principal !== 'service' && principal !== 'caller') {
    invalidOption(`principal must be 'service' or 'caller' (got ${describeValue(principal)})`);
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    invalidOption(`fetch must be a function (got ${typeName(options.fetch)})`);
  }
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function') {
    invalidOption(`onEvent must be a function (got ${typeName(options.onEvent)})`);
  }
  // pino-style loggers are used as they are; a NestJS Logger / LoggerService is adapted.
  const logger = toWitboostLogger(options.logger);

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
    fetch: options.fetch ?? lateBoundFetch,
    logger,
    onEvent: options.onEvent,
    principal,
    maxScopes,
    telemetry: resolveTelemetry(options.tracerProvider, options.meterProvider),
    store: resolveStore(options),
  };
}

/** A requested JWT lifetime: an integer number of seconds from 1 to 2,000,000. */
export function checkDurationSeconds(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    invalidOption(`durationSeconds must be an integer >= 1 (got ${describeValue(value)})`);
  }
  // Keeps every derived timer delay within setTimeout's 32-bit range.
  if (value > 2_000_000) invalidOption('durationSeconds must be at most 2000000');
  return value;
}

/** A delay that setTimeout can honour: more than 0 and at most 2^31 − 1 ms. */
export function checkTimeoutMs(value: unknown, what: string): number {
  if (typeof value !== 'number' || !(value > 0) || value > 2_147_483_647) {
    invalidOption(
      `${what} must be a positive number of milliseconds (got ${describeValue(value)})`,
    );
  }
  return value;
}

const STORE_METHODS = ['get', 'set', 'setIfAbsent', 'deleteIfEquals'] as const;

/** The caller's own `store` property only: a polluted prototype must not inject one. */
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
      if (extra.scope !== undefined) {
        scope = canonicalScope(assertScope(extra.scope, `${what}.scope`));
      }
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
    const { pathPrefix, scope, origin } = ownOptions(rule) as {
      pathPrefix?: unknown;
      scope?: unknown;
      origin?: unknown;
    };
    if (
      typeof pathPrefix !== 'string' ||
      !pathPrefix.startsWith('/') ||
      /[?#\s]/.test(pathPrefix)
    ) {
      invalidOption(
        `${what}.pathPrefix must be a path starting with '/' without query, fragment or spaces`,
      );
    }
    const checkedScope = canonicalScope(assertScope(scope, `${what}.scope`));
    let ruleOrigin: string | undefined;
    if (origin !== undefined) {
      let parsed: URL;
      try {
        parsed = new URL(String(origin));
      } catch {
        return invalidOption(`${what}.origin must be an absolute URL`);
      }
      ruleOrigin = parsed.origin;
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

function resolveRefresh(refresh: WitboostAuthOptions['refresh']): ResolvedRefresh {
  if (refresh === undefined) return { ...REFRESH_DEFAULTS };
  if (typeof refresh !== 'object' || refresh === null) {
    invalidOption(`refresh must be an object (got ${typeName(refresh)})`);
  }
  const r = { ...REFRESH_DEFAULTS };
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
  if (!(r.refreshAtRatio > 0 && r.refreshAtRatio < 1)) {
    invalidOption(
      `refresh.refreshAtRatio must be between 0 and 1 exclusive (got ${r.refreshAtRatio})`,
    );
  }
  if (!(r.jitterRatio >= 0 && r.jitterRatio < 1)) {
    invalidOption(`refresh.jitterRatio must be >= 0 and < 1 (got ${r.jitterRatio})`);
  }
  if (r.refreshAtRatio + r.jitterRatio >= 1) {
    invalidOption(
      `refresh.refreshAtRatio + refresh.jitterRatio must be below 1, or refresh would start after expiry (got ${r.refreshAtRatio + r.jitterRatio})`,
    );
  }
  if (r.expiryMarginMs < 0)
    invalidOption(`refresh.expiryMarginMs must be >= 0 (got ${r.expiryMarginMs})`);
  if (refresh.maxWaitMs === undefined) r.maxWaitMs = r.exchangeTimeoutMs;
  for (const key of [
    'exchangeTimeoutMs',
    'initialBackoffMs',
    'maxBackoffMs',
    'maxWaitMs',
  ] as const) {
    checkTimeoutMs(r[key], `refresh.${key}`);
  }
  if (r.maxBackoffMs < r.initialBackoffMs) {
    invalidOption(
      `refresh.maxBackoffMs (${r.maxBackoffMs}) must be >= refresh.initialBackoffMs (${r.initialBackoffMs})`,
    );
  }
  if (!Number.isInteger(r.maxAttempts) || r.maxAttempts < 1) {
    invalidOption(`refresh.maxAttempts must be an integer >= 1 (got ${r.maxAttempts})`);
  }
  if (r.rejectionCooldownMs < 0) {
    invalidOption(`refresh.rejectionCooldownMs must be >= 0 (got ${r.rejectionCooldownMs})`);
  }
  return r;
}

function optionalBoolean(value: unknown, what: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean')
    invalidOption(`${what} must be a boolean (got ${typeName(value)})`);
  return value;
}

/** Short, secret-free rendering of a bad option value: numbers and tiny identifiers only. */
function describeValue(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string' && /^[\w-]{0,20}$/.test(value) && !/^(?:wbat-|eyJ)/.test(value)) {
    return `'${value}'`;
  }
  return typeName(value);
}

/**
 * A copy of an options object holding only the caller's own enumerable properties, on a null
 * prototype: whatever another bug in the application put on `Object.prototype` (`origins`,
 * `fetch`, `scopes`, `allowInsecureHttp`, `identity`…) is not read through it. Anything that is
 * not an object is returned as it is, for the caller's own type check to reject.
 *
 * Use it once where a public function receives options, and on every nested options object
 * (`refresh`, each `origins` entry, each scope rule): a property missing from the copy is
 * `undefined`, never an inherited value.
 *
 * @param options - What the caller passed.
 * @returns The own-properties copy, or `options` itself when it is not a non-array object.
 *
 * @example
 * ```ts
 * import { ownOptions } from '@wb/auth-core';
 * export function createClient(options: ClientOptions) {
 *   const { auth, timeoutMs } = ownOptions(options); // never Object.prototype.auth
 * }
 * ```
 */
export function ownOptions<T>(options: T): T {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return options;
  return Object.assign(Object.create(null), options);
}

/** The scope the Computational Governance API needs. */
export const COMPUTATIONAL_GOVERNANCE_SCOPE = 'service:computational-governance';

/** Path (below the base path) whose requests need {@link COMPUTATIONAL_GOVERNANCE_SCOPE}. */
export const COMPUTATIONAL_GOVERNANCE_PATH = '/api/computational-governance';

// RFC 6749 scope-token characters, single spaces between tokens: what the server can parse.
const SCOPE_PATTERN = /^[\x21\x23-\x5b\x5d-\x7e]+(?: [\x21\x23-\x5b\x5d-\x7e]+)*$/;

/** Whether `scope` is a well-formed space-separated scope list. */
export function isValidScope(scope: unknown): scope is string {
  return typeof scope === 'string' && scope.length <= 1024 && SCOPE_PATTERN.test(scope);
}

/**
 * The one spelling of a scope list: duplicates dropped, scopes sorted. `a:x b:y`, `b:y a:x` and
 * `a:x b:y a:x` are one scope set, so they share one cached JWT, and this is what is sent.
 */
export function canonicalScope(scope: string): string {
  return [...new Set(scope.split(' '))].sort().join(' ');
}

/** Throws `invalid_options` unless `scope` is a well-formed space-separated scope list. */
export function assertScope(scope: unknown, what: string): string {
  if (!isValidScope(scope)) {
    invalidOption(
      `${what} must be a space-separated list of scopes such as '${COMPUTATIONAL_GOVERNANCE_SCOPE}' (printable ASCII, no quotes or backslashes, single spaces)`,
    );
  }
  return scope;
}
