import { basicAuthorization } from '@wb/auth-core';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsOf, expectNoSecret, runCli } from './helpers.js';

const CG = 'service:computational-governance';
let wb: WitboostMock;
let basicWb: WitboostMock;
let accessToken: string;

beforeAll(async () => {
  wb = await startWitboostMock({ port: 0 });
  basicWb = await startWitboostMock({ port: 0, basicAuth: true });
  accessToken = wb.issueAccessToken({ subject: 'user:alice' });
});
afterAll(async () => {
  await wb.close();
  await basicWb.close();
});

const env = () => ({ WITBOOST_BASE_URL: wb.url, WITBOOST_ACCESS_TOKEN: accessToken });

describe('wb-auth header <url>', () => {
  it('prints a Bearer value that the catalog accepts (absolute and relative URLs)', async () => {
    for (const url of [`${wb.url}/api/catalog/entities`, '/api/catalog/entities']) {
      const { code, stdout, stderr } = await runCli(['header', url], env());
      expect(code).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toMatch(/^Bearer eyJ[\w.-]+\n$/);
      const jwt = stdout.trim().slice('Bearer '.length);
      expect(claimsOf(jwt).scope).toBeUndefined();
      const res = await fetch(`${wb.url}/api/catalog/entities`, {
        headers: { authorization: stdout.trim() },
      });
      expect(res.status).toBe(200);
    }
  });

  it('asks for the Computational Governance scope under /api/computational-governance', async () => {
    const url = `${wb.url}/api/computational-governance/validate`;
    const { code, stdout } = await runCli(['header', url], env());
    expect(code).toBe(0);
    expect(claimsOf(stdout.trim().slice(7)).scope).toBe(CG);
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: stdout.trim(), 'content-type': 'application/json' },
      body: JSON.stringify({ policy: 'any' }),
    });
    expect(res.status).toBe(200);
  });

  it('a CG origin of its own (WITBOOST_CG_URL) gets the CG scope; other hosts nothing', async () => {
    const cg = await startWitboostMock({ port: 0 });
    try {
      const cgEnv = { ...env(), WITBOOST_CG_URL: cg.url };
      const { code, stdout } = await runCli(['header', `${cg.url}/api/anything`], cgEnv);
      expect(code).toBe(0);
      expect(claimsOf(stdout.trim().slice(7)).scope).toBe(CG);
      const other = await runCli(['header', 'https://evil.example/api/catalog/entities'], cgEnv);
      expect(other.code).toBe(2);
    } finally {
      await cg.close();
    }
  });

  it('prints Basic base64(witboost:<token>) in Basic mode (--basic or WITBOOST_AUTH_MODE=basic)', async () => {
    const token = basicWb.issueAccessToken();
    const basicEnv = { WITBOOST_BASE_URL: basicWb.url, WITBOOST_ACCESS_TOKEN: token };
    const url = `${basicWb.url}/api/catalog/entities`;
    for (const [args, extra] of [
      [['--basic'], {}],
      [[], { WITBOOST_AUTH_MODE: 'basic' }],
    ] as const) {
      const before = basicWb.stats.exchanges.total;
      const { code, stdout } = await runCli(['header', url, ...args], { ...basicEnv, ...extra });
      expect(code).toBe(0);
      expect(stdout).toBe(`${basicAuthorization(token)}\n`);
      expect(basicWb.stats.exchanges.total).toBe(before);
      expect((await fetch(url, { headers: { authorization: stdout.trim() } })).status).toBe(200);
    }
  });

  it.each([
    ['another host', 'https://evil.example/api/catalog/entities'],
    ['another port on the same host', `http://127.0.0.1:1/api/catalog/entities`],
    [
      'the same host over another scheme',
      wb?.url.replace('http:', 'https:') ?? 'https://127.0.0.1/',
    ],
    ['a legacy-parser trick', `http://evil.example\\@127.0.0.1/api`],
    ['a protocol-relative URL', '//evil.example/api/catalog/entities'],
    ['a URL that is not http(s)', 'file:///etc/passwd'],
  ])('prints nothing and exits 2 for %s', async (_what, url) => {
    const before = wb.stats.exchanges.total;
    const { code, stdout, stderr } = await runCli(['header', url], env());
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('not a Witboost origin');
    expect(wb.stats.exchanges.total).toBe(before);
  });

  it('exits 2 without a URL, 1 for a rejected token, 3 for an outage; never a secret', async () => {
    expect((await runCli(['header'], env())).code).toBe(2);
    const revoked = wb.issueAccessToken();
    wb.revoke(revoked);
    const rejected = await runCli(['header', '/api/catalog/entities'], {
      ...env(),
      WITBOOST_ACCESS_TOKEN: revoked,
    });
    expect(rejected.code).toBe(1);
    expectNoSecret([rejected.stdout, rejected.stderr], [revoked]);
    wb.faults.failNextExchanges(1, { status: 502 });
    const outage = await runCli(['header', '/api/catalog/entities'], env());
    expect(outage.code).toBe(3);
    expect(outage.stdout).toBe('');
    expectNoSecret([outage.stderr], [accessToken]);
  });
});
