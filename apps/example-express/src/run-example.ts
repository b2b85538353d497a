import {
  type ExampleDefinition,
  type ExampleRunOptions,
  type ExampleRunResult,
  runExample,
} from '@wb/example-support';
import { CALLER_TOKEN_HEADER, createExampleApp } from './app.js';

/** This example for the shared runner, entry point and tests of `@wb/example-support`. */
export const expressExample: ExampleDefinition = {
  framework: 'Express',
  callerTokenHeader: CALLER_TOKEN_HEADER,
  createApp(config) {
    const { app, close } = createExampleApp(config);
    return { listener: app, close };
  },
};

/** Options of {@link runExpressExample}. */
export type ExpressExampleOptions = ExampleRunOptions;

/** What {@link runExpressExample} did, for the demo and the tests. */
export type ExpressExampleResult = ExampleRunResult;

/**
 * Starts the example Express app on 127.0.0.1 (any free port), calls its routes over real HTTP —
 * the catalog and Computational Governance as the service, the catalog on behalf of a caller, and
 * once with an unknown caller token to show the 401 — prints what happened and closes everything.
 *
 * @param options - base URL, service access token, optional caller token, logger, policy
 * @returns counters and results
 * @example
 * ```ts
 * import { runExpressExample } from '@wb/example-express';
 * const result = await runExpressExample({
 *   baseUrl: wb.url,
 *   accessToken: wb.issueAccessToken(),
 *   issueCallerToken: () => wb.issueAccessToken({ subject: 'user:alice' }),
 * });
 * console.log(result.requests, result.exchanges);
 * ```
 */
export function runExpressExample(options: ExpressExampleOptions): Promise<ExpressExampleResult> {
  return runExample(expressExample, options);
}
