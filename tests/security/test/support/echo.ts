import type { ServerResponse } from 'node:http';
import { type AttackerServer, startAttacker } from './servers.js';

/** Ways a hostile or buggy server repeats the access token it was sent. */
export const ECHOES: Record<string, (token: string) => string> = {
  whole: (t) => `token ${t} is not valid`,
  'without its prefix': (t) => `token ${t.slice(5)} is not valid`,
  'as Basic credentials': (t) => `got Basic ${Buffer.from(`witboost:${t}`).toString('base64')}`,
  'as bare base64 of witboost:<token>': (t) =>
    `creds=${Buffer.from(`witboost:${t}`).toString('base64')}`,
  'as base64url': (t) => `id ${Buffer.from(t).toString('base64url')}`,
  'JSON-escaped in the text': (t) =>
    `body was {"access_token":"${[...t].map((c) => `\\u00${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('')}"}`,
  'percent-encoded': (t) =>
    `query access_token=${[...t].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')}`,
  'split by spaces': (t) =>
    `token ${t
      .slice(5)
      .match(/.{1,5}/g)
      ?.join(' ')}`,
  'split by zero-width spaces': (t) =>
    `token ${t
      .slice(5)
      .match(/.{1,4}/g)
      ?.join('\u200b')}`,
  'split by newlines': (t) =>
    `token\n${t
      .slice(5)
      .match(/.{1,7}/g)
      ?.join('\n')}`,
  'as a fragment': (t) => `…${t.slice(14, 30)}… rejected`,
};

/**
 * A Witboost look-alike whose exchange answers `status` with a body echoing the access token
 * it received (read from the request body) as `echo` renders it, in `{ error: { message } }`.
 */
export function startEchoingExchange(
  status: number,
  echo: (token: string) => string,
): Promise<AttackerServer> {
  return startAttacker((_req, res: ServerResponse, body) => {
    let token = '';
    try {
      token = String((JSON.parse(body) as { access_token?: unknown }).access_token ?? '');
    } catch {
      // Not an exchange: answer the same way.
    }
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: echo(token) }, message: echo(token) }));
  });
}
