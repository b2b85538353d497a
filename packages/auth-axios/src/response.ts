import type { AxiosResponse } from 'axios';

/**
 * A response whose `request` (the Node `ClientRequest`, which keeps the raw header lines it sent,
 * our JWT among them) is readable and writable but kept in a private field, so
 * `console.log(response)`, `util.inspect` and `JSON.stringify` do not print it.
 */
class WitboostAxiosResponse {
  #request: unknown;

  get request(): unknown {
    return this.#request;
  }

  set request(value: unknown) {
    this.#request = value;
  }
}

/**
 * `response` as a {@link WitboostAxiosResponse}: the same fields, `request` kept out of sight.
 * A new object rather than `Object.defineProperty(response, 'request', { enumerable: false })`:
 * changing an attribute of axios's own response object, which axios then keeps writing to, cost
 * about 5% of a request's CPU time (measured with `pnpm bench`); a class instance costs nothing
 * like it.
 */
export function hideResponseRequest<T, D>(response: AxiosResponse<T, D>): AxiosResponse<T, D> {
  // Object.assign sets `request` through the accessor, so it never becomes an own property.
  return Object.assign(new WitboostAxiosResponse(), response) as unknown as AxiosResponse<T, D>;
}
