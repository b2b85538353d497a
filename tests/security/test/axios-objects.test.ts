import { createRequire } from 'node:module';
import { attachWitboostAuth, createWitboostAxios } from '@wb/auth-axios';
import { type AuthMode, createWitboostAuth, type WitboostAuth } from '@wb/auth-core';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import type { AxiosStatic } from 'axios';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeak, thrown } from './support/leaks.js';

/**
 * Issue 12, item 4: nothing printable that axios hands back (responses and errors, streamed or
 * not, from any copy of axios) may hold the credential we sent.
 */
let wb: WitboostMock;
let auth: WitboostAuth | undefined;

beforeAll(async () => {
  wb = await startWitboostMock({ port: 0, basicAuth: true });
});
afterAll(async () => {
  await wb.close();
});
afterEach(async () => {
  await auth?.close();
  auth = undefined;
});

/** The credential the requests carry: the JWT (bearer) or the access token (Basic). */
async function setUp(mode: AuthMode): Promise<{ auth: WitboostAuth; secrets: string[] }> {
  const accessToken = wb.issueAccessToken();
  auth = createWitboostAuth({ baseUrl: wb.url, accessToken, mode });
  const secrets = mode === 'bearer' ? [accessToken, await auth.getToken()] : [accessToken];
  return { auth, secrets };
}

/** An axios that is not the one `@wb/auth-axios` imports: its CommonJS build, a second module instance. */
const otherAxios = createRequire(import.meta.url)('axios') as AxiosStatic;

describe.each(['bearer', 'basic'] as const)('axios objects in %s mode', (mode) => {
  it.each(['fetch'] as const)(
    'a streamed response (%s adapter) prints no credential',
    streamedResponse,
  );
  it.each(['http'] as const)(
    'a streamed response (%s adapter) prints no credential',
    streamedResponse,
  );

  async function streamedResponse(adapter: 'http' | 'fetch') {
    const { auth, secrets } = await setUp(mode);
    const response = await createWitboostAxios({ auth, adapter }).get('/api/catalog/entities', {
      responseType: 'stream',
    });
    expect(response.status).toBe(200);
    expectNoLeak([response], secrets);
    (response.data as { destroy?: () => void; cancel?: () => void }).destroy?.();
  }

  it.each(['http', 'fetch'] as const)(
    'the error of a streamed request (%s adapter) prints no credential',
    async (adapter) => {
      const { auth, secrets } = await setUp(mode);
      const error = await thrown(() =>
        createWitboostAxios({ auth, adapter }).get('/api/no-such-endpoint', {
          responseType: 'stream',
        }),
      );
      expectNoLeak([error], secrets);
    },
  );

  it.each(['http', 'fetch'] as const)(
    'an AxiosError (%s adapter) under inspect with showHidden prints no credential',
    async (adapter) => {
      const { auth, secrets } = await setUp(mode);
      const error = await thrown(() =>
        createWitboostAxios({ auth, adapter }).get('/api/no-such-endpoint'),
      );
      expectNoLeak([error], secrets);
    },
  );

  it('an instance of another copy of axios keeps no credential in its responses or errors', async () => {
    const { auth, secrets } = await setUp(mode);
    const instance = otherAxios.create({ baseURL: wb.url });
    attachWitboostAuth(instance as never, auth);
    const response = await instance.get('/api/catalog/entities');
    expect(response.status).toBe(200);
    const error = await thrown(() => instance.get('/api/no-such-endpoint'));
    expectNoLeak([response, response.config.headers, error], secrets);
  });
});
