import {
  type ExampleDefinition,
  type ExampleRunOptions,
  type ExampleRunResult,
  runExample,
} from '@wb/example-support';
import { CALLER_TOKEN_HEADER, createExampleApp } from './app.js';

/** This example for the shared runner, entry point and tests of `@wb/example-support`. */
export const koaExample: ExampleDefinition = {
  framework: 'Koa',
  callerTokenHeader: CALLER_TOKEN_HEADER,
  createApp(config) {
    const { app, close } = createExampleApp(config);
    return { listener: app.callback(), close };
  },
};

/** Options of {@link runKoaExample}. */
export type KoaExampleOptions = ExampleRunOptions;

/** What {@link runKoaExample} did, for the demo and the tests. */
export type KoaExampleResult = ExampleRunResult;

/**
 * Starts the example Koa app on 127.0.0.1 (any free port), calls its routes over real HTTP —
 * the catalog and Computational Governance as the service, the catalog on behalf of a caller, and
 * once with an unknown caller token to show the 401 — prints what happened and closes everything.
 *
 * @param options - base URL, service access token, optional caller token, logger, policy
 * @returns counters and results
 * @example
 * ```ts
 * import { runKoaExample } from '@wb/example-koa';
 * const result = await runKoaExample({
 *   baseUrl: wb.url,
 *   accessToken: wb.issueAccessToken(),
 *   issueCallerToken: () => wb.issueAccessToken({ subject: 'user:alice' }),
 * });
 * console.log(result.requests, result.exchanges);
 * ```
 */
export function runKoaExample(options: KoaExampleOptions): Promise<KoaExampleResult> {
  return runExample(koaExample, options);
}
