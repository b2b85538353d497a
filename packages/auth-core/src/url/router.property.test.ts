import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../options.js';
import type { WitboostAuthOptions } from '../types.js';
import { createRouteExplainer } from './router.js';

/**
 * The fast path must never disagree with the full WHATWG resolution: for generated strings,
 * whenever the fast path answers, its answer is the full parser's. Strings are built from the
 * pieces that matter to either path (the configured origins spelt every way, rule prefixes,
 * dot segments, escapes, backslashes, controls, userinfo, ports) and from arbitrary unicode.
 * The fast path has two ways to answer (one regex for paths under no rule prefix, else the
 * origin's regex and the rule walk): each must answer a share of the cases itself.
 */
const CONFIGS: Record<string, WitboostAuthOptions> = {
  'the defaults: one origin, the CG rule': {
    baseUrl: 'https://witboost.example.com',
  },
  'base path and a CG origin': {
    baseUrl: 'https://witboost.example.com/wb',
    origins: [{ url: 'https://wcg.example.com', scope: 'service:computational-governance' }],
    scopes: [{ pathPrefix: '/wb/api/reports', scope: 'service:reports' }],
  },
  'loopback with a port and rules on two origins': {
    baseUrl: 'http://127.0.0.1:7007',
    origins: ['https://other.example.com:8443'],
    scopes: [
      { pathPrefix: '/api/a', scope: 'a:x' },
      { pathPrefix: '/api', scope: 'b:y', origin: 'https://other.example.com:8443' },
    ],
  },
  'IPv6 base with a deep path': {
    baseUrl: 'http://[::1]:9000/deep/base/',
    scopes: [
      { pathPrefix: '/deep', scope: 'all:deep' },
      { pathPrefix: '/deep/base/x', scope: 'x:x' },
    ],
  },
};

const PREFIXES = [
  'https://witboost.example.com',
  'https://wcg.example.com',
  'http://127.0.0.1:7007',
  'https://other.example.com:8443',
  'http://[::1]:9000',
  'HTTPS://WITBOOST.example.com',
  'https://witboost.example.com:443',
  'http://127.0.0.1:7007@evil.com',
  'https://user:pw@witboost.example.com',
  'https://witboost.example.com.evil.com',
  'https://witboost.example.com:99999',
  'https://evil.com',
  'https:',
  'http:\\\\',
  '//',
  '/\\',
  '\\',
  '/',
  ' ',
  '\t',
  '\n',
  '\u0000',
  '\u00a0',
  '1http://evil.com',
  '',
];

const PIECES = [
  '/',
  '//',
  '\\',
  '.',
  '..',
  '/.',
  '/..',
  '/./',
  '/../',
  '%2e',
  '%2E',
  '%2e%2e',
  '/%2e%2e/',
  '/%2E/',
  '/.%2E',
  '.%2e',
  '%20',
  '%zz',
  '%',
  '%41',
  'api',
  '/api',
  '/computational-governance',
  '/api/computational-governance',
  '/wb',
  '/wb/api/reports',
  '/reports',
  '/deep',
  '/base',
  '/x',
  '/api/a',
  '/api/computational-governanc',
  '/api/computational-governancex',
  'catalog',
  'a.b',
  '.x',
  "-_~!$&'()*+,;=:@",
  '?',
  '#',
  '?q=/api/computational-governance',
  ' ',
  '\t',
  '\n',
  '\r',
  '\u0001',
  '\u007f',
  '"',
  '<',
  '>',
  '^',
  '`',
  '{',
  '|',
  '}',
  'é',
  '\u{1f600}',
  '\ud800',
  '[',
  ']',
  '@',
  ':8443',
  ':443',
  'A',
  'z9',
];

const piecewise = fc
  .tuple(fc.constantFrom(...PREFIXES), fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }))
  .map(([prefix, pieces]) => prefix + pieces.join(''));

const unicode = fc
  .tuple(fc.constantFrom(...PREFIXES), fc.string({ unit: 'grapheme-composite', maxLength: 40 }))
  .map(([prefix, rest]) => prefix + rest);

const CLEAN_PIECES = PIECES.filter(
  (piece) => /^[\w/?#:@=&,;'()*+!$~-]*$/.test(piece) && !piece.includes('.'),
);

/** The configurations' rule prefixes, so that clean paths often start under one. */
const RULE_PATHS = [
  '',
  '',
  '/api/computational-governance',
  '/wb/api/reports',
  '/api/a',
  '/api',
  '/deep/base/x',
  '/deep',
];

/** Mostly what clients send (canonical origins, clean paths), with a hostile piece now and then. */
const mostlyClean = fc
  .tuple(
    fc
      .tuple(fc.constantFrom(...PREFIXES.slice(0, 5), ''), fc.constantFrom(...RULE_PATHS))
      .map(([origin, path]) => (origin === '' && path === '' ? '/' : origin + path)),
    fc.array(
      fc.oneof(
        { weight: 12, arbitrary: fc.constantFrom(...CLEAN_PIECES) },
        { weight: 3, arbitrary: fc.constantFrom(...PIECES) },
      ),
      { maxLength: 12 },
    ),
  )
  .map(([prefix, pieces]) => prefix + pieces.join(''));

/** Generated cases per configuration and generator. */
const RUNS = 10_000;

describe.each(Object.entries(CONFIGS))('URL router equivalence (%s)', (_name, options) => {
  const explain = createRouteExplainer(resolveOptions(options));

  // Shares of the cases the fast path must answer: with its unscoped regex, and with the rule
  // walk (random text after an origin seldom spells a rule prefix: no minimum there).
  it.each([
    ['mostly clean request URLs', mostlyClean, 0.05, 0.005],
    ['pieces of URLs', piecewise, 0.003, 0],
    ['arbitrary unicode after a prefix', unicode, 0.001, 0],
  ])('the fast path agrees with the full parser on %s', (_kind, strings, share, walkShare) => {
    let unscoped = 0;
    let walked = 0;
    fc.assert(
      fc.property(strings, (input) => {
        const { fast, full, unscoped: byRegex } = explain(input);
        if (fast === undefined) return;
        if (byRegex) unscoped++;
        else walked++;
        expect(fast).toEqual(full);
      }),
      { numRuns: RUNS },
    );
    // A fast path that never answers would pass vacuously; so would either of its two ways.
    expect(unscoped).toBeGreaterThan(RUNS * share);
    if (walkShare > 0) expect(walked).toBeGreaterThan(RUNS * walkShare);
  });

  it('answers the common request URLs itself', () => {
    const base = resolveOptions(options).baseUrl;
    for (const input of [
      `${base}/api/catalog/entities?fields=a,b`,
      `${base}/api/catalog/entities/by-name/component/default/x.y-1?fields=metadata,spec`,
      '/api/catalog/entities/by-name/x',
      `${base}/api/computational-governance/validate`,
    ]) {
      expect(explain(input).fast).toEqual(explain(input).full);
    }
  });
});
