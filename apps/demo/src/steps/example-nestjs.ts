import { runNestExample } from '@wb/example-nestjs';
import type { DemoContext } from '../context.js';
import { runExample } from './run-example.js';

export const title = 'Example: NestJS (apps/example-nestjs, @wb/auth-nestjs)';
export const name = 'NestJS';

export function run(ctx: DemoContext): Promise<void> {
  return runExample(ctx, (log) =>
    runNestExample({
      baseUrl: ctx.baseUrl,
      accessToken: ctx.issueAccessToken('service-account:example-nestjs'),
      log,
    }),
  );
}
