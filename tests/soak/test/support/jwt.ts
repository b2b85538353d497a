/** base64url of a JSON value, for hand-made (unsigned, malformed) JWTs. */
function segment(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A compact JWS-shaped string with the given payload and a fake signature. */
export function fakeJwt(payload: unknown): string {
  return `${segment({ alg: 'ES256', typ: 'JWT' })}.${segment(payload)}.c2lnbmF0dXJl`;
}
