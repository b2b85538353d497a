import { runAxiosExample } from '@wb/example-axios';
import type { DemoContext } from '../context.js';
import { runExample } from './run-example.js';

export const title = 'Example: axios (apps/example-axios, @wb/auth-axios)';
export const name = 'axios';

export function run(ctx: DemoContext): Promise<void> {
  return runExample(ctx, (log) =>
    runAxiosExample({
      baseUrl: ctx.baseUrl,
      accessToken: ctx.issueAccessToken('service-account:example-axios'),
      log,
    }),
  );
}
