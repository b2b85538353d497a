import { type ChildProcess, spawn } from 'node:child_process';

/**
 * A stand-in Witboost for the proxy metric: `200 ok` for any request, and the exchange endpoint
 * relayed to the emulator (`WB_URL`), so `wb-auth proxy` can get its JWT from its own upstream.
 */
export const UPSTREAM_SOURCE = `
const { createServer } = require('node:http');
const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/api/auth/access-tokens/jwt') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const answer = await fetch(process.env.WB_URL + req.url, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.concat(chunks),
      });
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(await answer.text());
    });
    return;
  }
  req.resume();
  const body = req.headers.authorization ? 'ok' : 'no credentials';
  res.writeHead(req.headers.authorization ? 200 : 401, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write('listening on http://127.0.0.1:' + server.address().port + '\\n'));
`;

/**
 * The baseline: the least a forwarder can do with node:http — stream the request to the
 * upstream over a keep-alive agent with a constant Authorization header, stream the answer back.
 */
export const BARE_FORWARDER_SOURCE = `
const http = require('node:http');
const target = new URL(process.env.UPSTREAM_URL);
const agent = new http.Agent({ keepAlive: true });
const authorization = 'Bearer ' + process.env.JWT;
const server = http.createServer((req, res) => {
  const headers = { ...req.headers, host: target.host, authorization };
  const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent }, (answer) => {
    res.writeHead(answer.statusCode, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', () => { res.statusCode = 502; res.end(); });
  req.pipe(upstream);
});
server.listen(0, '127.0.0.1', () => process.stdout.write('listening on http://127.0.0.1:' + server.address().port + '\\n'));
`;

export interface Listening {
  url: string;
  child: ChildProcess;
  stop(): void;
}

/** Spawns a server process and waits for its `listening on <url>` line. */
export function spawnListening(args: string[], env: NodeJS.ProcessEnv): Promise<Listening> {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1]) resolve({ url: match[1], child, stop: () => child.kill('SIGTERM') });
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${args[0]} exited early (${code})`)));
  });
}
