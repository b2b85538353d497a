import type { RequestListener } from 'node:http';
import type { WitboostAuthOptions } from '@wb/auth-core';

/** What the runner passes to an example's `createExampleApp`. */
export interface ExampleServiceConfig {
  baseUrl: string;
  accessToken: string;
  onEvent?: WitboostAuthOptions['onEvent'];
  refresh?: WitboostAuthOptions['refresh'];
}

/**
 * One example service, as the shared runner, entry point and tests see it: a name for the log
 * lines and a way to build the app as a plain Node request listener.
 *
 * @example
 * ```ts
 * import type { ExampleDefinition } from '@wb/example-support';
 * import { CALLER_TOKEN_HEADER, createExampleApp } from './app.js';
 * export const koaExample: ExampleDefinition = {
 *   framework: 'Koa',
 *   callerTokenHeader: CALLER_TOKEN_HEADER,
 *   createApp(config) {
 *     const { app, close } = createExampleApp(config);
 *     return { listener: app.callback(), close };
 *   },
 * };
 * ```
 */
export interface ExampleDefinition {
  /** The framework's name, as log lines print it: `'Express'`, `'Koa'`. */
  framework: string;
  /** The header the `/me/…` routes read the caller's access token from. */
  callerTokenHeader: string;
  /** Builds the example app (no listening): its request listener and what releases it. */
  createApp(config: ExampleServiceConfig): { listener: RequestListener; close(): Promise<void> };
}
