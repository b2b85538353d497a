import { type ArgumentsHost, Catch, HttpException, type HttpServer, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { toHttpProblem } from '@wb/auth-core';
import { findWitboostError } from './find-witboost-error.js';

/**
 * Maps a `WitboostAuthError` (or an error whose `cause` is one, such as the `AxiosError` of
 * `@wb/auth-axios`) to a Nest `HttpException` with the status and body of
 * `toHttpProblem` from `@wb/auth-core` (`{ error: { code, message } }`, never a secret). For
 * custom filters; {@link WitboostAuthExceptionFilter} also sends the problem's headers
 * (e.g. `Retry-After`).
 *
 * @param error - anything caught
 * @returns an `HttpException`, or `undefined` when `error` is not a Witboost error
 * @example
 * ```ts
 * import { toWitboostHttpException } from '@wb/auth-nestjs';
 * try {
 *   await this.witboost.getToken();
 * } catch (error) {
 *   throw toWitboostHttpException(error) ?? error;
 * }
 * ```
 */
export function toWitboostHttpException(error: unknown): HttpException | undefined {
  const witboostError = findWitboostError(error);
  if (witboostError === undefined) return undefined;
  const problem = toHttpProblem(witboostError);
  return new HttpException(problem.body, problem.status, { cause: witboostError });
}

/**
 * What the filter catches, for Nest's `@Catch`: Nest picks the first filter whose `@Catch` types
 * the exception is an `instanceof`, so this "type" matches exactly a `WitboostAuthError` or an
 * error carrying one as `cause` (the `AxiosError` of `@wb/auth-axios`), and never an
 * `HttpException` (one from `toWitboostHttpException` included): those stay with your filters.
 */
// biome-ignore lint/complexity/noStaticOnlyClass: a class is what @Catch takes; instanceof asks Symbol.hasInstance
class CarriesWitboostError {
  static [Symbol.hasInstance](value: unknown): boolean {
    return !(value instanceof HttpException) && findWitboostError(value) !== undefined;
  }
}

/**
 * Exception filter answering a `WitboostAuthError` that escapes a request handler (directly, or
 * as the `cause` of an axios/`HttpService` error) with the HTTP
 * problem of `@wb/auth-core`'s `toHttpProblem` (e.g. 502 for a rejected service token, with
 * `{ error: { code, message } }` and no secret). It catches nothing else, whatever the order
 * filters are registered in: every other exception (an `HttpException`, an `AxiosError` that
 * carries no Witboost error) goes to your filters or Nest's default handling. HTTP contexts only;
 * opt in globally. In a filter of your own, use {@link toWitboostHttpException} instead.
 *
 * @example
 * ```ts
 * import { APP_FILTER } from '@nestjs/core';
 * import { WitboostAuthExceptionFilter } from '@wb/auth-nestjs';
 * // in a module: providers: [{ provide: APP_FILTER, useClass: WitboostAuthExceptionFilter }]
 *
 * // or in main.ts:
 * import { HttpAdapterHost } from '@nestjs/core';
 * const { httpAdapter } = app.get(HttpAdapterHost);
 * app.useGlobalFilters(new WitboostAuthExceptionFilter(httpAdapter));
 * ```
 */
@Catch(CarriesWitboostError)
export class WitboostAuthExceptionFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('WitboostAuthExceptionFilter');

  override catch(exception: unknown, host: ArgumentsHost): void {
    const http: HttpServer | undefined = this.applicationRef ?? this.httpAdapterHost?.httpAdapter;
    const witboostError = findWitboostError(exception);
    if (witboostError === undefined || host.getType() !== 'http' || http === undefined) {
      super.catch(exception, host);
      return;
    }
    const problem = toHttpProblem(witboostError);
    if (problem.status >= 500) this.logger.error(`${witboostError.code}: ${witboostError.message}`);
    const response: unknown = host.switchToHttp().getResponse();
    if (http.isHeadersSent(response)) {
      http.end(response);
      return;
    }
    for (const [name, value] of Object.entries(problem.headers)) {
      http.setHeader(response, name, value);
    }
    http.reply(response, problem.body, problem.status);
  }
}
