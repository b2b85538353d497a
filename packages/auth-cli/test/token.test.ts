import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BIN, claimsOf, cleanEnv, expectNoSecret, JWT_PATTERN, runCli } from './helpers.js';

const CG = 'service:computational-governance';
let wb: WitboostMock;
let accessToken: string;
let env: Record<string, string>;

beforeAll(async () => {
  wb = await startWitboostMock({ port: 0 });
});
afterAll(() => wb.close());
beforeEach(() => {
  wb.faults.reset();
  accessToken = wb.issueAccessToken({ subject: 'service-account:ci' });
  env = { WITBOOST_BASE_URL: wb.url, WITBOOST_ACCESS_TOKEN: accessToken };
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('wb-auth token', () => {
  it('prints the JWT and nothing else on stdout (raw), that Witboost accepts', async () => {
    const { code, stdout, stderr } = await runCli(['token'], env);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const jwt = stdout.trim();
    expect(claimsOf(jwt).sub).toBe('service-account:ci');
    const res = await fetch(`${wb.url}/api/catalog/entities`, {
      headers: { authorization: `Bearer ${jwt}` },
    });
    expect(res.status).toBe(200);
    expectNoSecret([stdout, stderr], [accessToken]);
    expect(wb.stats.exchanges.byScope['(none)']).toBeGreaterThan(0);
  });

  it('json: token, token_type, expires_at (RFC 3339 UTC), expires_on (epoch s), scope, subject', async () => {
    const before = Math.floor(Date.now() / 1000);
    const { code, stdout } = await runCli(
      ['token', '--format', 'json', '--scope', CG, '--duration', '120'],
      env,
    );
    expect(code).toBe(0);
    const body = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual([
      'expires_at',
      'expires_on',
      'scope',
      'subject',
      'token',
      'token_type',
    ]);
    expect(body.token_type).toBe('Bearer');
    expect(body.scope).toBe(CG);
    expect(body.subject).toBe('service-account:ci');
    expect(body.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const expiresOn = body.expires_on as number;
    expect(Number.isInteger(expiresOn)).toBe(true);
    expect(expiresOn).toBeGreaterThanOrEqual(before + 119);
    expect(expiresOn).toBeLessThanOrEqual(before + 122);
    expect(Date.parse(body.expires_at as string) / 1000).toBe(expiresOn);
    expect(claimsOf(body.token as string)).toMatchObject({ scope: CG, sub: 'service-account:ci' });
  });

  it('env: lines a POSIX shell can eval', async () => {
    const script = `eval "$(node '${BIN}' token --format env)" && printf '%s|%s' "$WITBOOST_JWT" "$WITBOOST_JWT_EXPIRES_ON"`;
    const { stdout } = await promisify(execFile)('sh', ['-c', script], { env: cleanEnv(env) });
    const [jwt, expiresOn] = stdout.split('|');
    expect(jwt).toMatch(JWT_PATTERN);
    expect(Number(expiresOn)).toBeGreaterThan(Date.now() / 1000);
  });

  it.each([
    [['--format', 'yaml']],
    [['--duration', '0']],
    [['--duration', '1.5']],
    [['--duration', 'ten']],
    [['--scope']],
    [['--scope', '']],
    [['extra-argument']],
    [['--no-such-option']],
  ])('refuses bad usage %j with exit 2 and a message on stderr', async (args) => {
    const { code, stdout, stderr } = await runCli(['token', ...args], env);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^wb-auth token: /);
  });

  it('Basic mode has no JWT: exit 2', async () => {
    const { code, stderr } = await runCli(['token', '--basic'], env);
    expect(code).toBe(2);
    expect(stderr).toContain('Basic mode has no JWT');
  });

  it.each([
    ['an unknown access token', () => 'wbat-NeverIssuedByThisEmulator0000000000'],
    [
      'a revoked access token',
      () => {
        wb.revoke(accessToken);
        return accessToken;
      },
    ],
  ])('exits 1 for %s, with a hint and no secret', async (_what, token) => {
    const secret = token();
    const { code, stdout, stderr } = await runCli(['token'], {
      ...env,
      WITBOOST_ACCESS_TOKEN: secret,
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('rejected');
    expect(stderr).toContain('hint:');
    expectNoSecret([stdout, stderr], [secret]);
  });

  it('exits 1 for an expired access token', async () => {
    const expiring = wb.issueAccessToken({ expiresInSeconds: 1 });
    await new Promise((r) => setTimeout(r, 1_200));
    const { code, stderr } = await runCli(['token'], { ...env, WITBOOST_ACCESS_TOKEN: expiring });
    expect(code).toBe(1);
    expectNoSecret([stderr], [expiring]);
  });

  it('exits 1 when the duration exceeds the access token’s remaining life (400)', async () => {
    const shortLived = wb.issueAccessToken({ expiresInSeconds: 60 });
    const { code, stderr } = await runCli(['token', '--duration', '3600'], {
      ...env,
      WITBOOST_ACCESS_TOKEN: shortLived,
    });
    expect(code).toBe(1);
    expect(stderr).toContain('400');
  });

  it.each([
    ['a 503', () => wb.faults.failNextExchanges(1, { status: 503 })],
    [
      'a 500 with a body echoing the token',
      () =>
        wb.faults.failNextExchanges(1, { status: 500, body: { message: `bad ${accessToken}` } }),
    ],
    [
      'a 429 with Retry-After',
      () => wb.faults.failNextExchanges(1, { status: 429, retryAfterSeconds: 30 }),
    ],
    ['a dropped connection', () => wb.faults.dropNextExchanges(1)],
  ])('exits 3 on an outage: %s', async (_what, fault) => {
    fault();
    const { code, stdout, stderr } = await runCli(['token'], env);
    expect(code).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^wb-auth token: /);
    expectNoSecret([stdout, stderr], [accessToken]);
  });

  it('exits 3 when nothing listens, and when the exchange is slower than --timeout', async () => {
    const port = await closedPort();
    const refused = await runCli(['token'], {
      ...env,
      WITBOOST_BASE_URL: `http://127.0.0.1:${port}`,
    });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('could not reach');

    wb.faults.setExchangeLatency(8_000);
    const started = Date.now();
    const slow = await runCli(['token', '--timeout', '0.5'], env);
    expect(slow.code).toBe(3);
    expect(slow.stderr).toContain('did not answer within 500 ms');
    expect(Date.now() - started).toBeLessThan(6_000);
  });
});
