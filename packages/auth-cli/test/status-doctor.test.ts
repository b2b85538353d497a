import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectNoSecret, JWT_PATTERN, runCli } from './helpers.js';

let wb: WitboostMock;
let accessToken: string;

beforeAll(async () => {
  wb = await startWitboostMock({ port: 0 });
});
afterAll(() => wb.close());
beforeEach(() => {
  wb.faults.reset();
  accessToken = wb.issueAccessToken({ subject: 'service-account:etl' });
});
const env = () => ({ WITBOOST_BASE_URL: wb.url, WITBOOST_ACCESS_TOKEN: accessToken });
const fingerprint = () => `wbat-…${accessToken.slice(-4)}`;

describe('wb-auth status', () => {
  it('shows subject, scope, lifetime, expiry, base URL and the fingerprint only', async () => {
    const { code, stdout, stderr } = await runCli(['status'], env());
    expect(code).toBe(0);
    expect(stdout).toContain('service-account:etl');
    expect(stdout).toContain(wb.url);
    expect(stdout).toContain(fingerprint());
    expect(stdout).toMatch(/lifetime\s+5 min \(300 s\)/);
    // The Date header has whole seconds, so a call across a second boundary reads ±1 s (CI did).
    expect(stdout).toMatch(/clock skew\s+(?:0|[+-]1) s against the server's Date header/);
    expect(stdout).not.toMatch(JWT_PATTERN);
    expectNoSecret([stdout, stderr], [accessToken]);
  });

  it('--json, and the clock skew against the server’s Date header', async () => {
    wb.faults.setClockSkew(-7_200);
    const { code, stdout } = await runCli(
      ['status', '--json', '--scope', 'service:computational-governance'],
      env(),
    );
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      baseUrl: wb.url,
      mode: 'bearer',
      accessToken: fingerprint(),
      tokenSource: 'env WITBOOST_ACCESS_TOKEN',
      subject: 'service-account:etl',
      scope: 'service:computational-governance',
      lifetimeSeconds: 300,
    });
    expect(Math.abs((report.jwtIssuedAtSkewSeconds as number) + 7_200)).toBeLessThanOrEqual(2);
    // Lifetimes count from the local clock: the expiry is ~5 min from now whatever the skew.
    expect(Math.abs((report.expiresOn as number) - (Date.now() / 1000 + 300))).toBeLessThan(10);
    expect(stdout).not.toMatch(JWT_PATTERN);
    expectNoSecret([stdout], [accessToken]);
  });

  it('exits 1 for a revoked token, 3 for an outage', async () => {
    wb.revoke(accessToken);
    const rejected = await runCli(['status'], env());
    expect(rejected.code).toBe(1);
    expectNoSecret([rejected.stdout, rejected.stderr], [accessToken]);
    accessToken = wb.issueAccessToken();
    wb.faults.failNextExchanges(1, { status: 503 });
    expect((await runCli(['status'], env())).code).toBe(3);
  });
});

describe('wb-auth doctor', () => {
  it('passes every check against a healthy emulator (Basic off is fine in bearer mode)', async () => {
    const { code, stdout } = await runCli(['doctor', '--timeout', '20'], env());
    expect(code).toBe(0);
    for (const name of [
      'configuration',
      'dns',
      'reachability',
      'exchange',
      'cg-scope',
      'basic-auth',
      'clock-skew',
      'proxy-variables',
    ]) {
      expect(stdout).toMatch(new RegExp(`^PASS  ${name}`, 'm'));
    }
    expect(stdout).toMatch(/^PASS {2}tls\s+http:\/\/ to a loopback host: no TLS needed/m);
    expect(stdout).not.toMatch(/^(?!PASS|FAIL| {2})\S/m);
    expect(stdout).not.toContain('\x1b[');
    expectNoSecret([stdout], [accessToken]);
  });

  it('--json lists each check with status, detail and duration', async () => {
    const { code, stdout } = await runCli(['doctor', '--json', '--timeout', '20'], env());
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { ok: boolean; checks: Array<Record<string, unknown>> };
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual([
      'configuration',
      'dns',
      'tls',
      'reachability',
      'exchange',
      'cg-scope',
      'basic-auth',
      'clock-skew',
      'proxy-variables',
    ]);
    for (const check of report.checks) {
      expect(typeof check.durationMs).toBe('number');
      expect(check.status).toBe('PASS');
    }
  });

  it('a revoked token: the exchange FAILs with a fix, later checks did not run (FAIL), exit 1', async () => {
    wb.revoke(accessToken);
    const { code, stdout } = await runCli(['doctor', '--timeout', '20'], env());
    expect(code).toBe(1);
    expect(stdout).toMatch(/^FAIL {2}exchange .*401/m);
    expect(stdout).toMatch(/fix: the access token is unknown, revoked or expired/);
    expect(stdout).toMatch(/^FAIL {2}cg-scope\s+not run: needs a working exchange/m);
    const json = await runCli(['doctor', '--json', '--timeout', '20'], env());
    const { checks } = JSON.parse(json.stdout) as {
      checks: Array<{ status: string; fix?: string }>;
    };
    for (const check of checks) {
      expect(['PASS', 'FAIL']).toContain(check.status);
      if (check.status === 'FAIL') expect(check.fix).toEqual(expect.any(String));
    }
    expectNoSecret([stdout], [accessToken]);
  });

  it('nothing listening: reachability FAILs, exit 3; no configuration: exit 2', async () => {
    const dead = await runCli(['doctor', '--timeout', '2'], {
      ...env(),
      WITBOOST_BASE_URL: 'http://127.0.0.1:1',
    });
    expect(dead.code).toBe(3);
    expect(dead.stdout).toMatch(/^FAIL {2}reachability/m);
    const unconfigured = await runCli(['doctor'], {});
    expect(unconfigured.code).toBe(2);
    expect(unconfigured.stdout).toMatch(/^FAIL {2}configuration\s+WITBOOST_BASE_URL is not set/m);
    expect(unconfigured.stdout).toMatch(/^PASS {2}proxy-variables/m);
  });

  it('Basic mode against an installation with Basic off: FAIL with the values.yaml fix, exit 1', async () => {
    const { code, stdout } = await runCli(['doctor', '--basic', '--timeout', '20'], env());
    expect(code).toBe(1);
    expect(stdout).toMatch(/^FAIL {2}basic-auth\s+disabled/m);
    expect(stdout).toContain('basicAuth.enabled: true');
  });

  it('passes clock skew and proxy variables with advice, without the proxy password', async () => {
    wb.faults.setClockSkew(600);
    const { code, stdout } = await runCli(['doctor', '--timeout', '20'], {
      ...env(),
      HTTPS_PROXY: 'http://alice:hunter2@proxy.corp:3128',
      NO_PROXY: 'localhost',
    });
    expect(code).toBe(0);
    // iat has whole seconds: 10 min of skew reads 9 min 59 s when the second ticks over.
    expect(stdout).toMatch(
      /^PASS {2}clock-skew\s+.*JWT iat \+(?:10 min|9 min 59 s)\n\s+fix: .*NTP/m,
    );
    expect(stdout).toMatch(
      /^PASS {2}proxy-variables\s+HTTPS_PROXY=http:\/\/…@proxy.corp:3128.*\n\s+fix: /m,
    );
    expect(stdout).not.toContain('hunter2');
  });

  it('each check has its own timeout: a hung exchange FAILs in time, exit 3', async () => {
    wb.faults.setExchangeLatency(12_000);
    const started = Date.now();
    const { code, stdout } = await runCli(['doctor', '--timeout', '3'], env());
    expect(code).toBe(3);
    expect(stdout).toMatch(/^FAIL {2}exchange/m);
    expect(stdout).toMatch(/^FAIL {2}cg-scope\s+not run/m);
    expect(Date.now() - started).toBeLessThan(9_000);
  });
});
