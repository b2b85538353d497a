import { Worker } from 'node:worker_threads';

/**
 * A plain node:http server answering `200 ok` to everything (and the Authorization scheme it saw
 * on `/whoami`), run in a worker thread so it has its own event loop: the client under test then
 * owns the main thread, and its overhead is not diluted by server work.
 */
const SERVER_SOURCE = `
const { createServer } = require('node:http');
const { parentPort } = require('node:worker_threads');
const server = createServer((req, res) => {
  const body = req.url === '/whoami' ? (req.headers.authorization ?? 'none').split(' ')[0] : 'ok';
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
`;

export interface LoopbackServer {
  url: string;
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1, port 0. */
export async function startLoopbackServer(): Promise<LoopbackServer> {
  const worker = new Worker(SERVER_SOURCE, { eval: true });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await worker.terminate();
    },
  };
}
