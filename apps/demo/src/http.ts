import { EXCHANGE_PATH } from '@wb/witboost-mock';

/** One JWT exchange with plain `fetch`, exactly as the documentation shows it. */
export async function exchangeJwt(
  baseUrl: string,
  body: { access_token: string; duration_seconds?: number; scope?: string },
): Promise<{ status: number; jwt?: string }> {
  const res = await fetch(`${baseUrl}${EXCHANGE_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { jwt?: unknown };
  return typeof json.jwt === 'string'
    ? { status: res.status, jwt: json.jwt }
    : { status: res.status };
}

/** The `error.message` of a Witboost error body, if any. */
export async function errorMessageOf(res: Response): Promise<string> {
  const body = (await res.json().catch(() => undefined)) as
    | { error?: { message?: unknown } }
    | undefined;
  return typeof body?.error?.message === 'string' ? body.error.message : '(no message)';
}

export function basicHeader(accessToken: string): string {
  return `Basic ${Buffer.from(`witboost:${accessToken}`).toString('base64')}`;
}
