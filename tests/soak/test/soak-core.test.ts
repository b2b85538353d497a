import { createWitboostAuth } from '@wb/auth-core';
import { describe } from 'vitest';
import { expectOk, VALIDATE_BODY } from './support/soak.js';
import { soakAdapter } from './support/soak-adapter.js';

describe('soak: @wb/auth-core auth.fetch', () => {
  soakAdapter('core auth.fetch', async ({ authOptions }) => {
    const auth = createWitboostAuth(authOptions);
    return {
      async request(target) {
        const response =
          target === 'catalog'
            ? await auth.fetch('/api/catalog/entities')
            : await auth.fetch('/api/computational-governance/validate', {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify(VALIDATE_BODY),
              });
        await expectOk(target, response.status, await response.json());
      },
      objects: () => ({ auth }),
      close: () => auth.close(),
    };
  });
});
