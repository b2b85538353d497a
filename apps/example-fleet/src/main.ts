// `pnpm --filter @wb/example-fleet start`: against WITBOOST_BASE_URL/WITBOOST_ACCESS_TOKEN and
// REDIS_URL when set, else the embedded emulator and a throwaway redis-server.
import { resolveTarget } from '@wb/example-support';
import { runFleetExample } from './run-fleet.js';

const target = await resolveTarget(process.env);
console.log(target.description);
try {
  const summary = await runFleetExample({
    baseUrl: target.baseUrl,
    accessToken: target.accessToken,
    ...(target.issueCallerToken === undefined ? {} : { issueCallerToken: target.issueCallerToken }),
    ...(process.env.REDIS_URL === undefined ? {} : { redisUrl: process.env.REDIS_URL }),
  });
  process.exitCode = summary === undefined || summary.failed === 0 ? 0 : 1;
} finally {
  await target.close();
}
