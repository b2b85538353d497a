import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuthFetch, resolveRequestUrl } from '../src/auth-fetch.js';
import type { WitboostAuthEvent } from '../src/types.js';

interface Seen {
  server: 'witboost' | 'foreign';
  method: string;
  path: string;
  authorization: string | undefined;
  cookie: string | undefined;
  contentType: string | undefined;
  body: string;
}

let seen: Seen[] = [];
let witboost: Server;
let foreign: Server;
let witboostOrigin: string;
let foreignOrigin: string;

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

function handler(
  name: Seen['server'],
  route: (req: IncomingMessage, res: ServerResponse, url: URL) => void,
) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      seen.push({
        server: name,
        method: req.method ?? '',
        path: url.pathname,
        authorization: req.headers.authorization,
        cookie: req.headers.cookie,
        contentType: req.headers['content-type'],
        body: Buffer.concat(chunks).toString(),
      });
      route(req, res, url);
    });
  };
}

function redirect(res: ServerResponse, status: number, location: string): void {
  res.writeHead(status, { location, 'content-type': 'text/plain' });
  res.end('redirecting');
}

beforeAll(async () => {
  witboost = createServer(
    handler('witboost', (req, res, url) => {
      const status = Number(url.searchParams.get('status') ?? 302);
      switch (url.pathname) {
        case '/wb/api/same':
          return redirect(res, status, '/wb/api/echo');
        case '/wb/api/foreign':
          return redirect(res, status, `${foreignOrigin}/echo`);
        case '/wb/api/loop':
          return redirect(res, 302, '/wb/api/loop');
        case '/wb/api/protected':
          if (req.headers.authorization !== 'Bearer fresh') {
            res.writeHead(401, { 'content-type': 'text/plain' });
            return res.end('unauthorized');
          }
          break;
        case '/wb/api/always-401':
          res.writeHead(401);
          return res.end('unauthorized');
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ path: url.pathname }));
    }),
  );
  foreign = createServer(
    handler('foreign', (_req, res, url) => {
      if (url.pathname === '/back') return redirect(res, 302, `${witboostOrigin}/wb/api/echo`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    }),
  );
  witboostOrigin = await listen(witboost);
  foreignOrigin = await listen(foreign);
});

afterAll(async () => {
  await Promise.all([close(witboost), close(foreign)]);
});

let current: string;
let events: WitboostAuthEvent[];
let invalidate: ReturnType<typeof vi.fn<(authorization: string) => void>>;
let authorizationFor: ReturnType<typeof vi.fn<(url: URL) => Promise<string | undefined>>>;
let authFetch: ReturnType<typeof createAuthFetch>;

beforeEach(() => {
  seen = [];
  events = [];
  current = 'Bearer stale';
  invalidate = vi.fn((authorization: string) => {
    if (authorization === current) current = 'Bearer fresh';
  });
  authorizationFor = vi.fn(async (url: URL) =>
    url.origin === witboostOrigin ? current : undefined,
  );
  authFetch = createAuthFetch({
    baseUrl: `${witboostOrigin}/wb`,
    authorizationFor,
    invalidate,
    fetch: globalThis.fetch,
    emit: (event) => events.push(event),
  });
});

const authOf = (server: Seen['server']) =>
  seen.filter((s) => s.server === server).map((s) => s.authorization);

describe('createAuthFetch over real HTTP', () => {
  it('attaches the header to the Witboost origin only', async () => {
    current = 'Bearer fresh';
    expect((await authFetch(`${witboostOrigin}/wb/api/echo`)).status).toBe(200);
    expect((await authFetch(`${foreignOrigin}/echo`)).status).toBe(200);
    expect(seen.map((s) => [s.server, s.authorization])).toEqual([
      ['witboost', 'Bearer fresh'],
      ['foreign', undefined],
    ]);
  });

  it('resolves relative URLs under a path-prefixed baseUrl, with or without a leading slash', async () => {
    current = 'Bearer fresh';
    const response = await authFetch('/api/echo?x=1');
    expect(await response.json()).toEqual({ path: '/wb/api/echo' });
    await authFetch('api/echo');
    expect(seen.map((s) => s.path)).toEqual(['/wb/api/echo', '/wb/api/echo']);
    expect(authorizationFor.mock.calls[0]?.[0].href).toBe(`${witboostOrigin}/wb/api/echo?x=1`);
  });

  it('lets an Authorization the caller set win', async () => {
    await authFetch('/api/echo', { headers: { Authorization: 'Bearer callers-own' } });
    expect(authOf('witboost')).toEqual(['Bearer callers-own']);
    expect(authorizationFor).not.toHaveBeenCalled();
  });

  it('takes method, headers and body from a Request', async () => {
    current = 'Bearer fresh';
    const request = new Request(`${witboostOrigin}/wb/api/echo`, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain', 'x-extra': '1' },
      body: 'from-request',
    });
    expect((await authFetch(request)).status).toBe(200);
    expect(seen[0]).toMatchObject({
      method: 'PUT',
      authorization: 'Bearer fresh',
      contentType: 'text/plain',
      body: 'from-request',
    });
  });

  it('keeps auth across a same-origin redirect, and marks the response redirected', async () => {
    current = 'Bearer fresh';
    const response = await authFetch('/api/same');
    expect(response.status).toBe(200);
    expect(response.redirected).toBe(true);
    expect(response.url).toBe(`${witboostOrigin}/wb/api/echo`);
    expect(seen.map((s) => [s.path, s.authorization])).toEqual([
      ['/wb/api/same', 'Bearer fresh'],
      ['/wb/api/echo', 'Bearer fresh'],
    ]);
  });

  it.each([302, 307])('sends no Authorization after a %i to another origin', async (status) => {
    current = 'Bearer fresh';
    const response = await authFetch(`/api/foreign?status=${status}`);
    expect(response.status).toBe(200);
    expect(seen.map((s) => [s.server, s.authorization])).toEqual([
      ['witboost', 'Bearer fresh'],
      ['foreign', undefined],
    ]);
  });

  it("strips the caller's own Authorization and Cookie across origins too", async () => {
    await authFetch('/api/foreign?status=307', {
      method: 'POST',
      body: 'payload',
      headers: { authorization: 'Bearer callers-own', cookie: 'session=abc' },
    });
    expect(seen).toMatchObject([
      { server: 'witboost', authorization: 'Bearer callers-own', cookie: 'session=abc' },
      {
        server: 'foreign',
        method: 'POST',
        body: 'payload',
        authorization: undefined,
        cookie: undefined,
      },
    ]);
  });

  it('sends nothing once the chain has left the origin, even when it comes back', async () => {
    current = 'Bearer fresh';
    const response = await authFetch(`${witboostOrigin}/wb/api/foreign?status=302`, {
      redirect: 'follow',
    });
    expect(response.status).toBe(200);
    seen = [];
    // foreign /back redirects to the Witboost origin: the request did not start there.
    await authFetch(`${foreignOrigin}/back`);
    expect(seen.map((s) => [s.server, s.authorization])).toEqual([
      ['foreign', undefined],
      ['witboost', undefined],
    ]);
  });

  it('turns a POST into a body-less GET on 303', async () => {
    current = 'Bearer fresh';
    const response = await authFetch('/api/same?status=303', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(response.status).toBe(200);
    expect(seen).toMatchObject([
      { method: 'POST', body: '{"a":1}', contentType: 'application/json' },
      { method: 'GET', body: '', contentType: undefined, authorization: 'Bearer fresh' },
    ]);
  });

  it('keeps method and body on 307 and 308 within the origin', async () => {
    current = 'Bearer fresh';
    await authFetch('/api/same?status=308', {
      method: 'PUT',
      body: new URLSearchParams({ a: '1' }),
    });
    expect(seen[1]).toMatchObject({ method: 'PUT', body: 'a=1', authorization: 'Bearer fresh' });
  });

  it('returns a 307 as is when the body is a spent stream', async () => {
    current = 'Bearer fresh';
    const response = await authFetch('/api/same?status=307', {
      method: 'POST',
      body: streamOf('streamed'),
    });
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toBe('/wb/api/echo');
    expect(seen).toHaveLength(1);
    expect(seen[0]?.body).toBe('streamed');
  });

  it('stops after 20 redirects', async () => {
    await expect(authFetch('/api/loop')).rejects.toThrow(/more than 20 redirects/);
    expect(seen).toHaveLength(21);
  });

  it("honours the caller's redirect: 'manual'", async () => {
    const response = await authFetch('/api/foreign', { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${foreignOrigin}/echo`);
    expect(seen.map((s) => s.server)).toEqual(['witboost']);
  });

  it("honours the caller's redirect: 'error'", async () => {
    await expect(authFetch('/api/same', { redirect: 'error' })).rejects.toThrow(TypeError);
    expect(seen).toHaveLength(1);
  });

  it('honours redirect: manual set on a Request', async () => {
    const response = await authFetch(
      new Request(`${witboostOrigin}/wb/api/same`, { redirect: 'manual' }),
    );
    expect(response.status).toBe(302);
  });

  it('replays once with a fresh header after a 401, invalidating the old one', async () => {
    const response = await authFetch('/api/protected?q=secret', { method: 'POST', body: 'data' });
    expect(response.status).toBe(200);
    expect(invalidate).toHaveBeenCalledExactlyOnceWith('Bearer stale');
    expect(seen.map((s) => [s.authorization, s.body])).toEqual([
      ['Bearer stale', 'data'],
      ['Bearer fresh', 'data'],
    ]);
    expect(events).toEqual([
      { type: 'replay_after_401', url: `${witboostOrigin}/wb/api/protected`, method: 'POST' },
    ]);
  });

  it.each([
    ['a Blob', () => new Blob(['blob-body'])],
    ['a Uint8Array', () => new TextEncoder().encode('bytes-body')],
    ['an ArrayBuffer', () => new TextEncoder().encode('buffer-body').buffer],
  ])('replays %s body', async (_n, body) => {
    const response = await authFetch('/api/protected', { method: 'POST', body: body() });
    expect(response.status).toBe(200);
    expect(seen).toHaveLength(2);
    expect(seen[1]?.body).toBe(seen[0]?.body);
    expect(seen[1]?.body).toMatch(/-body$/);
  });

  it('does not replay a stream body: the 401 comes back as is', async () => {
    const response = await authFetch('/api/protected', { method: 'POST', body: streamOf('once') });
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('unauthorized');
    expect(seen).toHaveLength(1);
    expect(invalidate).not.toHaveBeenCalled();
  });

  it('does not replay a Request with a body (a stream)', async () => {
    const request = new Request(`${witboostOrigin}/wb/api/protected`, {
      method: 'POST',
      body: 'x',
    });
    expect((await authFetch(request)).status).toBe(401);
    expect(seen).toHaveLength(1);
  });

  it('never replays twice', async () => {
    const response = await authFetch('/api/always-401');
    expect(response.status).toBe(401);
    expect(seen.map((s) => s.authorization)).toEqual(['Bearer stale', 'Bearer fresh']);
    expect(invalidate).toHaveBeenCalledOnce();
  });

  it("does not replay a 401 to the caller's own header", async () => {
    const response = await authFetch('/api/protected', {
      headers: { authorization: 'Bearer callers-own' },
    });
    expect(response.status).toBe(401);
    expect(seen).toHaveLength(1);
    expect(invalidate).not.toHaveBeenCalled();
  });

  it('does not replay when invalidation yields the same header', async () => {
    invalidate.mockImplementation(() => undefined);
    const response = await authFetch('/api/protected');
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('unauthorized');
    expect(seen).toHaveLength(1);
    expect(events).toEqual([]);
  });

  it('propagates an error of authorizationFor and aborts with the signal', async () => {
    authorizationFor.mockRejectedValueOnce(new Error('exchange failed'));
    await expect(authFetch('/api/echo')).rejects.toThrow('exchange failed');
    const controller = new AbortController();
    controller.abort();
    await expect(authFetch('/api/echo', { signal: controller.signal })).rejects.toThrow();
  });
});

describe('resolveRequestUrl', () => {
  it.each([
    ['/api/x', 'https://h.example.com/wb', 'https://h.example.com/wb/api/x'],
    ['api/x', 'https://h.example.com/wb/', 'https://h.example.com/wb/api/x'],
    ['/api/x', 'https://h.example.com', 'https://h.example.com/api/x'],
    ['?q=1', 'https://h.example.com/wb', 'https://h.example.com/wb/?q=1'],
    ['https://other.example.com/x', 'https://h.example.com/wb', 'https://other.example.com/x'],
    ['//other.example.com/x', 'https://h.example.com/wb', 'https://other.example.com/x'],
    // Protocol-relative for the WHATWG parser too: it must go where `new URL(input, base)` goes.
    ['/\\evil.example.com/x', 'https://h.example.com/wb', 'https://evil.example.com/x'],
  ])('resolves %s against %s', (input, base, expected) => {
    expect(resolveRequestUrl(input, base).href).toBe(expected);
  });
});

function streamOf(text: string): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
      controller.close();
    },
  });
}
