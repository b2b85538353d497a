import { createWitboostAxios } from '@wb/auth-axios';
import { createWitboostAuth, isWitboostAuthError } from '@wb/auth-core';
import { exampleWitboost } from '@wb/example-support';
import { isAxiosError } from 'axios';
import { checkDataProducts } from './app.js';

// A real Witboost from WITBOOST_BASE_URL and WITBOOST_ACCESS_TOKEN, else the embedded emulator.
const witboost = await exampleWitboost();
const auth = createWitboostAuth({ baseUrl: witboost.baseUrl, accessToken: witboost.accessToken });
try {
  const verdicts = await checkDataProducts(createWitboostAxios({ auth, timeout: 15_000 }));
  for (const { dataProduct, satisfiesPolicy, errors } of verdicts) {
    console.log(
      `${dataProduct}: ${satisfiesPolicy ? 'satisfies' : `violates (${errors.join('; ')})`} require-owner`,
    );
  }
} catch (error) {
  // Neither axios's nor core's messages carry a credential.
  const cause =
    isAxiosError(error) && isWitboostAuthError(error.cause) ? ` (${error.cause.code})` : '';
  console.error(`Failed: ${error instanceof Error ? error.message : String(error)}${cause}`);
  process.exitCode = 1;
} finally {
  await auth.close();
  await witboost.close();
}
