import { once } from 'node:events';
import type { RequestListener, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Target } from './soak.js';

export interface Listening {
  url: string;
  close(): Promise<void>;
}

/** Serves `handler` on 127.0.0.1, a free port; `close()` also ends keep-alive connections. */
export async function listen(handler: RequestListener): Promise<Listening> {
  const server: Server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** The app routes every soaked server exposes: each calls Witboost through the adapter. */
export const APP_PATHS: Record<Target, string> = {
  catalog: '/data-products',
  validate: '/policies/validate',
};

/** One soak request to an app: GET, the app does the Witboost call. */
export async function callApp(
  baseUrl: string,
  target: Target,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(baseUrl + APP_PATHS[target]);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: keep the text for the failure message.
  }
  return { status: response.status, body };
}
