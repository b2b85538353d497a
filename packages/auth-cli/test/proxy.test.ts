import { execFile, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type CliResult,
  claimsOf,
  expectNoSecret,
  isRunning,
  type RunningProxy,
  startProxy,
} from './helpers.js';
import { startUpstream, type Upstream } from './upstream.js';

const HAS_CURL = spawnSync('curl', ['--version']).status === 0;
const curlIt = HAS_CURL ? it : it.skip;
if (!HAS_CURL) console.warn('[auth-cli] curl is not installed: the curl proxy tests are skipped');
const curl = (args: string[]) =>
  promisify(execFile)('curl', ['-sS', ...args], {
    maxBuffer: 64 * 1024 * 1024,
    encoding: 'buffer',
  });

let wb: WitboostMock;
let upstream: Upstream;
let dir: string;
const running: RunningProxy[] = [];

beforeAll(async () => {
  wb = await startWitboostMock({ port: 0 });
  upstream = await startUpstream(wb.url);
  dir = await mkdtemp(join(tmpdir(), 'wb-auth-proxy-'));
});
afterEach(() => {
  for (const p of running.splice(0)) p.child.kill('SIGKILL');
  wb.faults.reset();
});
afterAll(async () => {
  await upstream.close();
  await wb.close();
  await rm(dir, { recursive: true, force: true });
});

async function proxy(env: Record<string, string>, args: string[] = []): Promise<RunningProxy> {
  const started = await startProxy(args, env);
  if (!isRunning(started)) throw new Error(`proxy did not start: ${started.stderr}`);
  running.push(started);
  return started;
}

/**
 * Sends `bytes` as they are on a fresh connection that the proxy closes after its answer
 * (`Connection: close` in them); the status and the JSON in the (maybe chunked) body.
 */
function rawExchange(port: number, bytes: string): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    // write(), not end(): a client that half-closes has given up on the answer, for node:http.
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let text = '';
    socket.setEncoding('utf8').on('data', (s: string) => {
      text += s;
    });
    socket.on('end', () => {
      const body = text.slice(text.indexOf('\r\n\r\n') + 4);
      resolve({
        status: Number(text.slice(9, 12)),
        json: JSON.parse(body.slice(body.indexOf('{'), body.lastIndexOf('}') + 1)),
      });
    });
    socket.on('error', reject);
  });
}

/** A raw request, so the test chooses Host, Origin and the request target. */
function rawGet(
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, setHost: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (s: string) => (body += s));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('wb-auth proxy against the emulator', () => {
  it('prints its address and forwards with fresh credentials (fetch and curl); healthz, readyz', async () => {
    const token = wb.issueAccessToken({ subject: 'service-account:proxy' });
    const p = await proxy({ WITBOOST_BASE_URL: wb.url, WITBOOST_ACCESS_TOKEN: token });
    expect(p.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${p.url}/api/catalog/entities`);
    expect(res.status).toBe(200);
    expect(Array.isArray(await res.json())).toBe(true);
    expect(wb.lastRequests.at(-1)).toMatchObject({
      path: '/api/catalog/entities',
      authScheme: 'Bearer',
      subject: 'service-account:proxy',
      status: 200,
    });
    const cg = await fetch(`${p.url}/api/computational-governance/validate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ policy: 'any' }),
    });
    expect(cg.status).toBe(200);
    expect((await fetch(`${p.url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${p.url}/readyz`)).json()).toMatchObject({
      ready: true,
      scopes: [
        { scope: null, state: 'fresh' },
        { scope: 'service:computational-governance', state: 'fresh' },
      ],
    });
    if (HAS_CURL) {
      const { stdout } = await curl(['-f', `${p.url}/api/catalog/entities?kind=DataProduct`]);
      expect(JSON.parse(stdout.toString()).length).toBeGreaterThan(0);
    }
    expectNoSecret([p.stderr()], [token]);
  });

  it('answers a foreign Host with 421 (DNS rebinding), a cross-site browser request with 403', async () => {
    const p = await proxy({
      WITBOOST_BASE_URL: wb.url,
      WITBOOST_ACCESS_TOKEN: wb.issueAccessToken(),
    });
    const before = wb.stats.protectedRequests.total;
    for (const host of [
      'evil.example',
      `evil.example:${p.port}`,
      `127.0.0.1:${p.port + 1}`,
      `[::1]:${p.port + 1}`,
    ]) {
      const { status, body } = await rawGet(p.port, '/api/catalog/entities', { host });
      expect(status, host).toBe(421);
      expect(JSON.parse(body).error.code).toBe('foreign_host');
    }
    // No Host at all: node:http itself answers 400.
    expect((await rawGet(p.port, '/api/catalog/entities', {})).status).toBe(400);
    for (const host of [`127.0.0.1:${p.port}`, `localhost:${p.port}`]) {
      expect((await rawGet(p.port, '/api/catalog/entities', { host })).status).toBe(200);
    }
    const host = `127.0.0.1:${p.port}`;
    expect(
      (await rawGet(p.port, '/api/catalog/entities', { host, origin: 'https://evil.example' }))
        .status,
    ).toBe(403);
    expect(
      (await rawGet(p.port, '/api/catalog/entities', { host, 'sec-fetch-site': 'cross-site' }))
        .status,
    ).toBe(403);
    expect(
      (await rawGet(p.port, '/api/catalog/entities', { host, origin: `http://${host}` })).status,
    ).toBe(200);
    expect(
      (await rawGet(p.port, 'http://evil.example/api/catalog/entities', { host })).status,
    ).toBe(400);
    expect(wb.stats.protectedRequests.total - before).toBe(3);
    if (HAS_CURL) {
      const { stdout } = await curl([
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        '-H',
        'Host: attacker.example',
        `${p.url}/api/catalog/entities`,
      ]);
      expect(stdout.toString()).toBe('421');
    }
  });

  it('fails loudly instead of serving: a revoked token exits 1, an outage exits 3', async () => {
    const revoked = wb.issueAccessToken();
    wb.revoke(revoked);
    const rejected = (await startProxy([], {
      WITBOOST_BASE_URL: wb.url,
      WITBOOST_ACCESS_TOKEN: revoked,
    })) as CliResult;
    expect(isRunning(rejected)).toBe(false);
    expect(rejected.code).toBe(1);
    expect(rejected.stdout).not.toContain('listening');
    expect(rejected.stderr).toContain('rejected');
    expectNoSecret([rejected.stdout, rejected.stderr], [revoked]);

    wb.faults.failNextExchanges(20, { status: 503 });
    const down = (await startProxy([], {
      WITBOOST_BASE_URL: wb.url,
      WITBOOST_ACCESS_TOKEN: wb.issueAccessToken(),
    })) as CliResult;
    expect(down.code).toBe(3);
  });

  it('refuses a non-loopback --host without --allow-remote (exit 2)', async () => {
    const result = (await startProxy(['--host', '0.0.0.0'], {
      WITBOOST_BASE_URL: wb.url,
      WITBOOST_ACCESS_TOKEN: wb.issueAccessToken(),
    })) as CliResult;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--allow-remote');
  });
});

describe('wb-auth proxy: what goes through', () => {
  let token: string;
  let p: RunningProxy;
  const env = () => ({ WITBOOST_BASE_URL: upstream.url, WITBOOST_ACCESS_TOKEN: token });

  it('drops incoming Authorization, Proxy-Authorization and Cookie; sends its Bearer; drops Set-Cookie', async () => {
    token = wb.issueAccessToken({ subject: 'service-account:through' });
    p = await proxy(env());
    const res = await fetch(`${p.url}/api/echo`, {
      headers: {
        authorization: 'Bearer caller-supplied',
        'proxy-authorization': 'Basic Zm9vOmJhcg==',
        cookie: 'session=browser',
        'x-kept': 'yes',
      },
    });
    expect(res.headers.get('set-cookie')).toBeNull();
    const seen = (await res.json()) as { headers: Record<string, string> };
    expect(seen.headers.cookie).toBeUndefined();
    expect(seen.headers['proxy-authorization']).toBeUndefined();
    expect(seen.headers['x-kept']).toBe('yes');
    expect(seen.headers.host).toBe(new URL(upstream.url).host);
    const authorization = seen.headers.authorization ?? '';
    expect(authorization).toMatch(/^Bearer eyJ/);
    expect(claimsOf(authorization.slice(7)).sub).toBe('service-account:through');
  });

  it('drops hop-by-hop headers both ways, whatever their case; keeps repeated ones', async () => {
    token = wb.issueAccessToken({ subject: 'service-account:hops' });
    p = await proxy(env());
    const { port } = new URL(p.url);
    // Bytes as a client may send them: mixed-case names, two Authorization lines, a header
    // named in Connection, and a repeated header.
    const request = [
      'GET /api/echo HTTP/1.1',
      `Host: 127.0.0.1:${port}`,
      'AUTHORIZATION: Bearer first-caller',
      'authorization: Bearer second-caller',
      'Connection: close, X-Hop',
      'X-Hop: hop-secret',
      'Keep-Alive: timeout=5',
      'TE: trailers',
      'X-Rep: 1',
      'x-rep: 2',
      '',
      '',
    ].join('\r\n');
    const echoed = await rawExchange(Number(port), request);
    expect(echoed.status).toBe(200);
    const seen = echoed.json as { headers: Record<string, string> };
    expect(seen.headers['x-hop']).toBeUndefined();
    expect(seen.headers['keep-alive']).toBeUndefined();
    expect(seen.headers.connection).toBe('keep-alive'); // the proxy's own hop to Witboost
    expect(seen.headers.te).toBeUndefined();
    expect(seen.headers['x-rep']).toBe('1, 2');
    expect(seen.headers.authorization).toMatch(/^Bearer eyJ/);
    expect(JSON.stringify(seen.headers)).not.toContain('caller');

    const res = await fetch(`${p.url}/api/hop-by-hop`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-upstream-hop')).toBeNull();
    expect(res.headers.get('link')).toBe('</a>; rel=preload, </b>; rel=preload');
    expect(await res.text()).toBe('ok');
  });

  it('streams a large upload (fetch, 24 MB, chunked) and a large download (50 MB) intact', async () => {
    token = wb.issueAccessToken();
    p = await proxy(env());
    const payload = randomBytes(24 * 1024 * 1024);
    const chunks = (function* () {
      for (let i = 0; i < payload.length; i += 1024 * 1024)
        yield payload.subarray(i, i + 1024 * 1024);
    })();
    const body = new ReadableStream({
      pull(controller) {
        const next = chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
    });
    const up = await fetch(`${p.url}/api/echo`, {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit);
    const echoed = (await up.json()) as {
      length: number;
      sha256: string;
      headers: Record<string, string>;
    };
    expect(echoed.length).toBe(payload.length);
    expect(echoed.sha256).toBe(createHash('sha256').update(payload).digest('hex'));
    expect(echoed.headers['transfer-encoding']).toBe('chunked');

    const down = await fetch(`${p.url}/api/download?bytes=${50 * 1024 * 1024}`);
    let received = 0;
    for await (const chunk of down.body as unknown as AsyncIterable<Uint8Array>)
      received += chunk.length;
    expect(received).toBe(50 * 1024 * 1024);
  });

  curlIt(
    'streams large bodies with curl both ways (upload with Expect: 100-continue)',
    async () => {
      token = wb.issueAccessToken();
      p = await proxy(env());
      const file = join(dir, 'upload.bin');
      const payload = randomBytes(16 * 1024 * 1024);
      await writeFile(file, payload);
      const { stdout } = await curl([
        '-f',
        '--data-binary',
        `@${file}`,
        '-H',
        'content-type: application/octet-stream',
        `${p.url}/api/echo`,
      ]);
      const echoed = JSON.parse(stdout.toString()) as { length: number; sha256: string };
      expect(echoed.length).toBe(payload.length);
      expect(echoed.sha256).toBe(createHash('sha256').update(payload).digest('hex'));
      const out = join(dir, 'download.bin');
      await curl(['-f', '-o', out, `${p.url}/api/download?bytes=${40 * 1024 * 1024}`]);
      expect((await stat(out)).size).toBe(40 * 1024 * 1024);
    },
  );

  it('passes a response on as it streams: the first chunk arrives before the upstream ends', async () => {
    token = wb.issueAccessToken();
    p = await proxy(env());
    const res = await fetch(`${p.url}/api/stream`);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value ?? []).toString()).toBe('first\n');
    upstream.release();
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read())
      rest += Buffer.from(r.value).toString();
    expect(rest).toBe('last\n');
  });

  it('a 401 from Witboost drops the JWT; a rotated token file is used; a rejected one gives 502 and readyz 503', async () => {
    const file = join(dir, 'rotating-token');
    await writeFile(file, wb.issueAccessToken({ subject: 'service-account:before' }));
    p = await proxy({ WITBOOST_BASE_URL: upstream.url }, ['--token-file', file]);
    expect((await fetch(`${p.url}/api/echo`)).status).toBe(200);

    // Kubernetes rotates the secret, then Witboost starts refusing the old JWT.
    const rotated = wb.issueAccessToken({ subject: 'service-account:after' });
    await writeFile(file, rotated);
    // fromFile looks at the file at most once a second.
    await new Promise((r) => setTimeout(r, 1_100));
    upstream.rejectNext(1);
    expect((await fetch(`${p.url}/api/echo`)).status).toBe(401);
    const after = (await (await fetch(`${p.url}/api/echo`)).json()) as {
      headers: Record<string, string>;
    };
    expect(claimsOf((after.headers.authorization ?? '').slice(7)).sub).toBe(
      'service-account:after',
    );

    wb.revoke(rotated);
    await new Promise((r) => setTimeout(r, 1_100));
    upstream.rejectNext(1);
    expect((await fetch(`${p.url}/api/echo`)).status).toBe(401);
    const refused = await fetch(`${p.url}/api/echo`);
    expect(refused.status).toBe(502);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
      'access_token_rejected',
    );
    const readiness = await fetch(`${p.url}/readyz`);
    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toMatchObject({
      ready: false,
      scopes: [{ scope: null, state: 'failing', lastError: 'access_token_rejected' }],
    });
    expect(p.stderr()).toContain('no credential for Witboost');
    expectNoSecret([p.stderr()], [rotated]);
  });

  it('an upstream that does not start answering within --upstream-timeout gets a 504', async () => {
    token = wb.issueAccessToken();
    p = await proxy(env(), ['--upstream-timeout', '1']);
    const started = Date.now();
    const res = await fetch(`${p.url}/api/slow?ms=9000`);
    expect(res.status).toBe(504);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('upstream_timeout');
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(p.stderr()).toContain('failed: timeout');
    expect((await fetch(`${p.url}/api/echo`)).status).toBe(200);
  });

  it('SIGTERM during a request: it completes, new connections are refused, exit 0', async () => {
    token = wb.issueAccessToken();
    p = await proxy(env());
    const slow = fetch(`${p.url}/api/slow?ms=1500`);
    await new Promise((r) => setTimeout(r, 300));
    p.child.kill('SIGTERM');
    const res = await slow;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('slow done');
    expect(await p.exited).toBe(0);
    await expect(fetch(`${p.url}/healthz`)).rejects.toThrow();
  });

  curlIt('SIGTERM while curl uploads: the upload completes and the proxy exits 0', async () => {
    token = wb.issueAccessToken();
    p = await proxy(env());
    const file = join(dir, 'slow-upload.bin');
    await writeFile(file, randomBytes(4 * 1024 * 1024));
    const upload = curl([
      '-f',
      '--limit-rate',
      '2M',
      '--data-binary',
      `@${file}`,
      `${p.url}/api/echo`,
    ]);
    await new Promise((r) => setTimeout(r, 500));
    p.child.kill('SIGTERM');
    const { stdout } = await upload;
    expect((JSON.parse(stdout.toString()) as { length: number }).length).toBe(4 * 1024 * 1024);
    expect(await p.exited).toBe(0);
  });
});
