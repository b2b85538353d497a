import { inspect } from 'node:util';
import { createWitboostAuth, type WitboostAuth } from '@wb/auth-core';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * A `WitboostAuth` is used like a plain object of functions: spread to wrap one method, its
 * methods passed on unbound (`{ fetch: auth.fetch }`, `process.on('SIGTERM', auth.close)`), a
 * method replaced. Identities build most methods on first read to stay small; none of that
 * may show.
 */
let wb: WitboostMock;
let auth: WitboostAuth;
const URL_ = '/api/catalog/entities';
const MEMBERS = [
  'baseUrl',
  'mode',
  'principal',
  'authorizationFor',
  'getToken',
  'isWitboostUrl',
  'scopeFor',
  'invalidate',
  'fetch',
  'withAccessToken',
  'status',
  'close',
];

beforeEach(async () => {
  wb = await startWitboostMock({ port: 0 });
  auth = createWitboostAuth({ baseUrl: wb.url, accessToken: wb.issueAccessToken() });
});
afterEach(async () => {
  await auth.close();
  await wb.close();
});

describe.each([
  ['the instance', () => auth],
  ['a caller identity', () => auth.withAccessToken(wb.issueAccessToken())],
])('%s', (_name, make) => {
  it('lists every member as an own enumerable property, and a spread copy works', async () => {
    const target = make();
    expect(Object.keys(target)).toEqual(MEMBERS);
    const copy = { ...target };
    expect(Object.keys(copy)).toEqual(MEMBERS);
    const header = await copy.authorizationFor(URL_);
    expect(header).toMatch(/^Bearer eyJ/);
    expect(copy.isWitboostUrl(`${wb.url}/api`)).toBe(true);
    expect(copy.scopeFor('/api/computational-governance/validate')).toBe(
      'service:computational-governance',
    );
    expect((await copy.fetch(URL_)).status).toBe(200);
    expect(copy.status().scopes[0]?.state).toBe('fresh');
    await copy.close();
    await expect(target.getToken()).rejects.toMatchObject({ code: 'closed' });
  });

  it('keeps working with methods detached from the object', async () => {
    const target = make();
    const { authorizationFor, getToken, fetch, invalidate, status, close, scopeFor } = target;
    const header = await authorizationFor(URL_);
    expect(await getToken()).toBe(header?.slice('Bearer '.length));
    expect((await fetch(URL_)).status).toBe(200);
    invalidate(header ?? '');
    expect(status().scopes[0]?.state).not.toBe('fresh');
    expect(scopeFor('/api/catalog')).toBeUndefined();
    expect(target.fetch).toBe(fetch); // built once, then the same function
    await close();
    await expect(authorizationFor(URL_)).rejects.toMatchObject({ code: 'closed' });
  });

  it('lets a method be replaced, and close via Symbol.asyncDispose', async () => {
    const target = make();
    const calls: string[] = [];
    const original = target.invalidate;
    (target as { invalidate: WitboostAuth['invalidate'] }).invalidate = (header) => {
      calls.push('wrapped');
      original(header);
    };
    target.invalidate('Bearer x');
    expect(calls).toEqual(['wrapped']);
    await target[Symbol.asyncDispose]();
    expect(target.status().closed).toBe(true);
  });

  it('shows no token or JWT when inspected, however deep', async () => {
    const target = make();
    const header = (await target.authorizationFor(URL_)) ?? '';
    const shown = inspect(target, { depth: Number.POSITIVE_INFINITY, showHidden: true });
    expect(shown).not.toContain(header.slice('Bearer '.length, 'Bearer '.length + 40));
    expect(shown).not.toContain('wbat-');
    expect(JSON.stringify(target)).not.toContain('wbat-');
    await target.close();
  });
});
