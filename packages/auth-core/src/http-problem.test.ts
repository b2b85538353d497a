import type { Principal, WitboostAuthErrorCode } from '@wb/auth-core';
import { toHttpProblem, WitboostAuthError } from '@wb/auth-core';
import { describe, expect, it } from 'vitest';
import { sampleAccessToken } from '../test/support/expect-no-secret.js';

const token = sampleAccessToken();

describe('toHttpProblem', () => {
  it.each<[WitboostAuthErrorCode, Principal | undefined, number]>([
    ['invalid_access_token', 'caller', 401],
    ['invalid_access_token', undefined, 401],
    ['invalid_access_token', 'service', 500],
    ['access_token_rejected', 'caller', 401],
    ['access_token_rejected', 'service', 502],
    ['access_token_rejected', undefined, 502],
    ['exchange_bad_request', 'service', 502],
    ['exchange_bad_request', 'caller', 401],
    ['server_error', 'service', 502],
    ['invalid_exchange_response', 'service', 502],
    ['rate_limited', 'service', 503],
    ['network_error', 'caller', 503],
    ['timeout', 'service', 503],
    ['closed', 'service', 503],
    ['aborted', 'service', 503],
    ['missing_access_token', 'service', 500],
    ['token_source_failed', 'service', 500],
    ['invalid_options', 'service', 500],
  ])('maps %s (principal %s) to %i with a public sentence', (code, principal, status) => {
    const error = new WitboostAuthError(code, `internal detail https://wb.internal ${token}`, {
      principal,
      status: 418,
    });
    const problem = toHttpProblem(error);
    expect(problem.status).toBe(status);
    expect(problem.body.error.code).toBe(code);
    expect(problem.body.error.message).toMatch(/^[A-Z].+\.$/);
    expect(problem.headers).toEqual({});
    const rendered = JSON.stringify(problem);
    expect(rendered).not.toContain(token);
    expect(rendered).not.toContain('wb.internal');
    expect(rendered).not.toContain('418');
  });

  it("says the caller's access token was rejected on a 401", () => {
    const problem = toHttpProblem(
      new WitboostAuthError('access_token_rejected', 'x', { principal: 'caller' }),
    );
    expect(problem.body.error.message).toBe("The caller's access token was rejected.");
  });

  it.each([
    [1, '1'],
    [1000, '1'],
    [1001, '2'],
    [0, '0'],
    [30_500, '31'],
  ])('sets Retry-After from retryAfterMs %i as %s seconds', (retryAfterMs, header) => {
    const problem = toHttpProblem(new WitboostAuthError('rate_limited', 'x', { retryAfterMs }));
    expect(problem.headers).toEqual({ 'Retry-After': header });
  });

  it('omits Retry-After when unknown or invalid', () => {
    expect(toHttpProblem(new WitboostAuthError('rate_limited', 'x')).headers).toEqual({});
    const nan = new WitboostAuthError('rate_limited', 'x', { retryAfterMs: Number.NaN });
    expect(toHttpProblem(nan).headers).toEqual({});
  });

  it('maps an unknown code (a newer copy of the package) to 500', () => {
    const foreign = Object.assign(new Error('x'), { name: 'WitboostAuthError', code: 'brand_new' });
    const problem = toHttpProblem(foreign as unknown as WitboostAuthError);
    expect(problem.status).toBe(500);
    expect(problem.body.error.code).toBe('brand_new');
  });

  it('never forwards a code that is not a plain identifier', () => {
    const odd = Object.assign(new Error('x'), { code: `bad ${token}` });
    const problem = toHttpProblem(odd as unknown as WitboostAuthError);
    expect(problem.body.error.code).toBe('internal_error');
    expect(JSON.stringify(problem)).not.toContain(token);
  });
});
