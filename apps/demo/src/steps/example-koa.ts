import { runKoaExample } from '@wb/example-koa';
import type { DemoContext } from '../context.js';
import { runExample } from './run-example.js';

export const title = 'Example: Koa (apps/example-koa, @wb/auth-koa)';
export const name = 'Koa';

export function run(ctx: DemoContext): Promise<void> {
  const { wb } = ctx;
  return runExample(ctx, (log) =>
    runKoaExample({
      baseUrl: ctx.baseUrl,
      accessToken: ctx.issueAccessToken('service-account:example-koa'),
      // A caller's PAT for the on-behalf-of route: only the emulator can mint one.
      ...(wb === undefined
        ? {}
        : { issueCallerToken: () => wb.issueAccessToken({ subject: 'user:bob' }) }),
      log,
    }),
  );
}
