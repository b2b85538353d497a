import { OAuth2Client } from 'google-auth-library';

/**
 * google-auth-library's OAuth2Client producing request headers from valid cached credentials
 * (far-future expiry, so it never refreshes).
 *
 * @param token - the access token set as credentials
 * @param url - request URL passed to `getRequestHeaders`
 * @returns an operation that builds the headers of one request
 */
export function googleWarmHeader(token: string, url: string): () => Promise<unknown> {
  const headersFor = googleWarmHeaderFor(token);
  return () => headersFor(url);
}

/**
 * The same client building the headers of a request to whatever URL it is given, for the
 * many-URL metrics.
 *
 * @param token - the access token set as credentials
 * @returns an operation that builds the headers of one request to `url`
 */
export function googleWarmHeaderFor(token: string): (url: string) => Promise<unknown> {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: token, expiry_date: Date.now() + 365 * 86_400_000 });
  return (url) => client.getRequestHeaders(url);
}
