// `pnpm --filter @wb/example-fleet start`: against WITBOOST_BASE_URL/WITBOOST_ACCESS_TOKEN and
// REDIS_URL when set, else the embedded emulator and a throwaway redis-server.
import { startWitboostMock } from '@wb/witboost-mock';
import { runFleetExample } from './run-fleet.js';

const { WITBOOST_BASE_URL: baseUrl, WITBOOST_ACCESS_TOKEN: accessToken, REDIS_URL } = process.env;
const wb = baseUrl && accessToken ? undefined : await startWitboostMock({ port: 0 });
try {
  const summary = await runFleetExample({
    baseUrl: wb?.url ?? (baseUrl as string),
    accessToken:
      wb?.issueAccessToken({ subject: 'service-account:fleet' }) ?? (accessToken as string),
    ...(wb === undefined ? {} : { issueCallerToken: () => wb.issueAccessToken() }),
    ...(REDIS_URL === undefined ? {} : { redisUrl: REDIS_URL }),
  });
  process.exitCode = summary === undefined || summary.failed === 0 ? 0 : 1;
} finally {
  await wb?.close();
}
