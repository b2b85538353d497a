import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request an attacker-controlled server saw. */
export interface Hit {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

/** A loopback server under the attacker's control. */
export interface AttackerServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `127.0.0.1:<port>` */
  host: string;
  hits: Hit[];
  close(): Promise<void>;
}

type Reply = (req: IncomingMessage, res: ServerResponse, body: string) => void;

const open: Server[] = [];

/**
 * Starts a server on 127.0.0.1 (port 0) that records every request (with its `Authorization`
 * and body) and answers with `reply` (default `200 ok`).
 */
export async function startAttacker(reply?: Reply): Promise<AttackerServer> {
  const hits: Hit[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      hits.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        body,
      });
      if (reply) return reply(req, res, body);
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  open.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    hits,
    close: () => closeServer(server),
  };
}

function closeServer(server: Server): Promise<void> {
  const at = open.indexOf(server);
  if (at >= 0) open.splice(at, 1);
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** Closes every attacker server still open (call in `afterEach`). */
export async function closeAttackers(): Promise<void> {
  await Promise.all([...open].map(closeServer));
}

/** Hits that carried any credential. */
export function credentialed(hits: readonly Hit[]): Hit[] {
  return hits.filter((hit) => hit.authorization !== undefined || hit.body.includes('wbat-'));
}
