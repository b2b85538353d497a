import { runExpressExample } from '@wb/example-express';
import type { DemoContext } from '../context.js';
import { runExample } from './run-example.js';

export const title = 'Example: Express (apps/example-express, @wb/auth-express)';
export const name = 'Express';

export function run(ctx: DemoContext): Promise<void> {
  const { wb } = ctx;
  return runExample(ctx, (log) =>
    runExpressExample({
      baseUrl: ctx.baseUrl,
      accessToken: ctx.issueAccessToken('service-account:example-express'),
      // A caller's PAT for the on-behalf-of route: only the emulator can mint one.
      ...(wb === undefined
        ? {}
        : { issueCallerToken: () => wb.issueAccessToken({ subject: 'user:alice' }) }),
      log,
    }),
  );
}
