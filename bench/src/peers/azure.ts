import {
  type BearerTokenAuthenticationPolicyOptions,
  bearerTokenAuthenticationPolicy,
  createHttpHeaders,
  createPipelineRequest,
  type PipelineResponse,
  type SendRequest,
} from '@azure/core-rest-pipeline';

/**
 * Azure's bearer policy authorising one request with a cached token: the credential answers
 * once, and every later call is served from the policy's token cycler, as in a warm Azure SDK
 * client. `next` is a no-op, so only the authorising work is measured.
 *
 * @param token - the bearer token the credential hands out
 * @param url - request URL (must be https: the policy refuses plain http)
 * @returns an operation that authorises one request
 */
export function azureWarmHeader(token: string, url: string): () => Promise<unknown> {
  const authorise = azureWarmHeaderFor(token);
  return () => authorise(url);
}

/**
 * The same policy authorising a request to whatever URL it is given (one policy, one cached
 * token), for the many-URL metrics.
 *
 * @param token - the bearer token the credential hands out
 * @returns an operation that authorises one request to `url` (https only)
 */
export function azureWarmHeaderFor(token: string): (url: string) => Promise<unknown> {
  const credential: BearerTokenAuthenticationPolicyOptions['credential'] = {
    getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }),
  };
  const policy = bearerTokenAuthenticationPolicy({
    credential,
    scopes: 'https://witboost.example.com/.default',
  });
  const next: SendRequest = async (request) =>
    ({ request, status: 200, headers: createHttpHeaders() }) satisfies PipelineResponse;
  return (url) => policy.sendRequest(createPipelineRequest({ url }), next);
}
