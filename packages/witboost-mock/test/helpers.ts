import { CG_SCOPE, EXCHANGE_PATH, type WitboostMock } from '@wb/witboost-mock';
import { decodeJwt } from 'jose';

/** POSTs a raw body to the exchange endpoint. */
export function postExchange(
  wb: WitboostMock,
  body: unknown,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<Response> {
  return fetch(`${wb.url}${EXCHANGE_PATH}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Exchanges an access token and returns the JWT, failing loudly on anything but 200. */
export async function exchange(
  wb: WitboostMock,
  accessToken: string,
  extra: { duration_seconds?: number; scope?: string } = {},
): Promise<string> {
  const res = await postExchange(wb, { access_token: accessToken, ...extra });
  if (res.status !== 200) throw new Error(`exchange answered ${res.status}`);
  const { jwt } = (await res.json()) as { jwt: string };
  return jwt;
}

export async function cgJwt(wb: WitboostMock): Promise<string> {
  return exchange(wb, wb.issueAccessToken(), { scope: CG_SCOPE });
}

export function claims(jwt: string) {
  return decodeJwt(jwt);
}

export function getCatalog(wb: WitboostMock, authorization?: string, query = '') {
  return fetch(`${wb.url}/api/catalog/entities${query}`, {
    headers: authorization === undefined ? {} : { authorization },
  });
}

export function validate(wb: WitboostMock, authorization: string | undefined, body: unknown) {
  return fetch(`${wb.url}/api/computational-governance/validate`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(authorization === undefined ? {} : { authorization }),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** Asserts the Witboost error shape and that no credential leaked into it. */
export async function errorMessage(res: Response, ...secrets: string[]): Promise<string> {
  const text = await res.text();
  for (const secret of secrets) {
    if (secret !== '' && text.includes(secret)) throw new Error('error body echoes a credential');
  }
  if (/wbat-|eyJ/.test(text)) throw new Error('error body contains something token-shaped');
  const body = JSON.parse(text) as { error: { message: string } };
  if (typeof body.error?.message !== 'string') throw new Error(`unexpected error shape: ${text}`);
  return body.error.message;
}
