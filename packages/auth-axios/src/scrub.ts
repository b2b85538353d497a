/** What the transport keeps instead of the credential it sent. */
const REDACTED = '[redacted by @wb/auth-axios]';

/** Node's `kOutHeaders` symbol (the header map of an outgoing message), found on first use. */
let outHeaders: symbol | undefined;

type Loose = Record<PropertyKey, unknown>;
const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null;

function scrubClientRequest(request: unknown, header: string): void {
  if (!isObject(request) || typeof request._header !== 'string') return;
  request._header = request._header.replaceAll(header, REDACTED);
  // A socket that never connected still holds the bytes it was to write.
  const socket = request.socket as Loose | null | undefined;
  if (typeof socket?._pendingData === 'string') {
    socket._pendingData = socket._pendingData.replaceAll(header, REDACTED);
  }
  outHeaders ??= Object.getOwnPropertySymbols(request).find((s) => s.description === 'kOutHeaders');
  // The header map: lower-case name -> [name as given, value].
  const entry = (outHeaders && (request[outHeaders] as Loose | null)?.authorization) as unknown;
  if (Array.isArray(entry) && entry[1] === header) entry[1] = REDACTED;
}

/**
 * Replaces `header`, once the request is sent, wherever the transport's record of the request
 * keeps it: Node's `ClientRequest` (its raw header lines and header map), follow-redirects'
 * `RedirectableRequest` (its options, under the name the dispatcher gave it, and the
 * `ClientRequest` of each side), and the fetch `Request`. These are what `response.request`,
 * `error.request`, a streamed response's `req` and its socket lead to, so `console.log`,
 * `util.inspect` (even `showHidden`) and `JSON.stringify` of a response or an error show no
 * credential, for any copy of axios. Plain writes of existing fields: none of these objects
 * changes shape, which keeps V8's fast paths (redefining fields as non-enumerable did not: see
 * `axios_overhead_vs_static` in bench/).
 */
function scrubRequest(request: unknown, header: string): void {
  if (!isObject(request)) return;
  scrubClientRequest(request, header);
  const redirectable = isObject(request._redirectable) ? request._redirectable : request;
  const options = redirectable._options as { headers?: Loose } | undefined;
  if (options?.headers?.Authorization === header) options.headers.Authorization = REDACTED;
  if (redirectable._currentRequest !== request) {
    scrubClientRequest(redirectable._currentRequest, header);
  }
  const fetchHeaders = request.headers as Headers | undefined;
  if (typeof fetchHeaders?.get === 'function' && fetchHeaders.get('authorization') === header) {
    fetchHeaders.set('authorization', REDACTED);
  }
}

/** Scrubs the requests an axios response or error leads to (see above); returns `outcome`. */
export function scrubSent<T>(outcome: T, header: string): T {
  const { request, response } = (outcome ?? {}) as { request?: unknown; response?: Loose };
  scrubRequest(request, header);
  if (response?.request !== request) scrubRequest(response?.request, header);
  return outcome;
}
