import { createWitboostAxios } from '@wb/auth-axios';
import { createWitboostAuth } from '@wb/auth-core';
import { describe } from 'vitest';
import { expectOk, VALIDATE_BODY } from './support/soak.js';
import { soakAdapter } from './support/soak-adapter.js';

describe('soak: @wb/auth-axios createWitboostAxios', () => {
  soakAdapter('axios createWitboostAxios', async ({ authOptions }) => {
    const auth = createWitboostAuth(authOptions);
    const client = createWitboostAxios({ auth });
    return {
      async request(target) {
        const { status, data } =
          target === 'catalog'
            ? await client.get('/api/catalog/entities')
            : await client.post('/api/computational-governance/validate', VALIDATE_BODY);
        await expectOk(target, status, data);
      },
      objects: () => ({ auth }),
      close: () => auth.close(),
    };
  });
});
