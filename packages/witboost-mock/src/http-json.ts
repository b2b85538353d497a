import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** Request bodies above this size are answered with 413. */
export const MAX_BODY_BYTES = 64 * 1024;
// Past this the client is not a test any more: stop draining and cut the connection.
const MAX_DRAIN_BYTES = 16 * 1024 * 1024;

export type JsonObject = Record<string, unknown>;

export type BodyResult =
  | { ok: true; value: JsonObject }
  | { ok: false; status: number; message: string };

/** Sends a JSON response, unless the connection is already gone. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** Sends Witboost's error shape. The message must never contain a credential. */
export function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  headers: OutgoingHttpHeaders = {},
): void {
  sendJson(res, status, { error: { message } }, headers);
}

function isJsonContentType(header: string | undefined): boolean {
  const mediaType = header?.split(';')[0]?.trim().toLowerCase();
  return mediaType === 'application/json';
}

function readText(req: IncomingMessage): Promise<{ text: string; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Keep draining past the limit so the client reads our 413 instead of a reset socket.
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (size > MAX_DRAIN_BYTES) req.destroy();
    });
    req.on('end', () =>
      resolve({ text: Buffer.concat(chunks).toString('utf8'), tooLarge: size > MAX_BODY_BYTES }),
    );
    req.on('error', reject);
  });
}

/**
 * Reads a JSON object body.
 * @param options.requireJsonContentType - answer 415 unless `Content-Type: application/json`
 * @param options.allowEmpty - treat an empty body as `{}`
 */
export async function readJsonObject(
  req: IncomingMessage,
  options: { requireJsonContentType: boolean; allowEmpty: boolean },
): Promise<BodyResult> {
  const { text, tooLarge } = await readText(req);
  if (tooLarge) {
    return { ok: false, status: 413, message: `Request body exceeds ${MAX_BODY_BYTES} bytes` };
  }
  if (options.allowEmpty && text.trim() === '') return { ok: true, value: {} };
  if (options.requireJsonContentType && !isJsonContentType(req.headers['content-type'])) {
    return { ok: false, status: 415, message: 'Content-Type must be application/json' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, status: 400, message: 'Request body is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, status: 400, message: 'Request body must be a JSON object' };
  }
  // On a null prototype: a route reading a field the client left out must find nothing, even
  // with Object.prototype polluted in the process the emulator shares with a test.
  return { ok: true, value: Object.assign(Object.create(null), value) as JsonObject };
}
