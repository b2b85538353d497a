import { runFleetExample } from '@wb/example-fleet';
import type { Section } from './run.js';

/**
 * Three replica processes of an Express service on one Redis (apps/example-fleet): every identity
 * is exchanged about once for the whole fleet. Needs `redis-server` on the PATH (or `REDIS_URL`)
 * and says so when there is none.
 */
export const fleetSection: Section = {
  title:
    'A fleet: three replicas share their JWTs on one Redis (apps/example-fleet, @wb/auth-redis)',
  name: 'fleet',
  async run(ctx) {
    const wb = ctx.wb;
    const summary = await runFleetExample({
      baseUrl: ctx.baseUrl,
      accessToken: ctx.issueAccessToken('service-account:example-fleet'),
      ...(wb === undefined ? {} : { issueCallerToken: () => wb.issueAccessToken() }),
      ...(process.env.REDIS_URL === undefined ? {} : { redisUrl: process.env.REDIS_URL }),
      log: (line) => ctx.print.info(line),
    });
    if (summary === undefined) return;
    const { exchanges, identities, replicas, failed } = summary;
    ctx.check(failed === 0, `${failed} requests through the fleet failed`);
    ctx.check(
      exchanges < identities * replicas,
      `${exchanges} exchanges: the replicas did not share`,
    );
    ctx.print.ok(`${replicas} replicas, ${identities} identities, ${exchanges} exchanges in all`);
  },
};
