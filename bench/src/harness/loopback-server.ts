import { spawn } from 'node:child_process';
import { once } from 'node:events';

/**
 * A plain node:http server answering `200 ok` to everything (and the Authorization scheme it saw
 * on `/whoami`). It runs in a child process, so the bench process's CPU time is the client's
 * alone: that is what the axios metric divides by.
 */
const SERVER_SOURCE = `
const { createServer } = require('node:http');
const server = createServer((req, res) => {
  const body = req.url === '/whoami' ? (req.headers.authorization ?? 'none').split(' ')[0] : 'ok';
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

export interface LoopbackServer {
  url: string;
  /** The server process, e.g. to pin it to a CPU. */
  pid: number | undefined;
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1, port 0. It also exits when this process does (stdin closes). */
export async function startLoopbackServer(): Promise<LoopbackServer> {
  const child = spawn(process.execPath, ['-e', SERVER_SOURCE], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(Number.parseInt(out, 10));
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`loopback server exited early (${code})`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    close: async () => {
      child.stdin.end();
      await exited;
    },
  };
}
