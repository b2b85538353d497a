import { type ExchangeResult, exchangeAccessToken } from '@wb/auth-core';
import type { CliConfig } from './config.js';

/** One exchange, plus what the server's clock said while it answered. */
export interface ProbedExchange {
  result: ExchangeResult;
  /** Milliseconds from sending the request to the answer's headers. */
  roundTripMs: number;
  /**
   * Server clock minus local clock, from the `Date` header (whole seconds, so ±0.5 s), taken
   * at the middle of the round trip; `undefined` when the answer had no usable `Date`.
   */
  dateSkewMs: number | undefined;
}

/**
 * Exchanges once through core, reading the answer's `Date` header on the way: core decides
 * nothing from it here, `status` and `doctor` only report it.
 */
export async function probeExchange(
  config: CliConfig,
  accessToken: string,
  scope: string | undefined,
  timeoutMs: number = config.timeoutMs,
): Promise<ProbedExchange> {
  let sentAt = 0;
  let answeredAt = 0;
  let date: string | null = null;
  const fetchWithDate: typeof fetch = async (input, init) => {
    sentAt = Date.now();
    const response = await fetch(input, init);
    answeredAt = Date.now();
    date = response.headers.get('date');
    return response;
  };
  const result = await exchangeAccessToken({
    baseUrl: config.baseUrl,
    accessToken,
    ...(scope === undefined ? {} : { scope }),
    timeoutMs,
    allowInsecureHttp: config.allowInsecureHttp,
    fetch: fetchWithDate,
  });
  return {
    result,
    roundTripMs: answeredAt - sentAt,
    dateSkewMs: skewFromDate(date, sentAt, answeredAt),
  };
}

/** Server minus local clock from a `Date` header seen between `sentAt` and `answeredAt`. */
export function skewFromDate(
  date: string | null,
  sentAt: number,
  answeredAt: number,
): number | undefined {
  const serverMs = date === null ? Number.NaN : Date.parse(date);
  if (Number.isNaN(serverMs)) return undefined;
  // The header is truncated to the second: its true instant lies in [serverMs, serverMs + 1000).
  return Math.round(serverMs + 500 - (sentAt + answeredAt) / 2);
}
