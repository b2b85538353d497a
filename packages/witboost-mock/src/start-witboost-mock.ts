import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MockContext } from './context.js';
import { createFaults } from './faults.js';
import { createJwtIssuer } from './jwt-issuer.js';
import { checkIssueOptions, resolveOptions, urlFor } from './options.js';
import { createRouter } from './router.js';
import { createSleeper } from './sleeper.js';
import { createStats } from './stats.js';
import { createTokenStore } from './token-store.js';
import type { WitboostMock, WitboostMockOptions } from './types.js';

/**
 * Starts a local emulator of the Witboost authentication surface: the JWT exchange, a catalog and
 * a Computational Governance endpoint that verify credentials for real, a JWKS, fault injection
 * and counters.
 *
 * @param options - port, host, Basic auth switch, default JWT duration, issuer
 * @returns a running emulator; `close()` it when done
 * @example
 * ```ts
 * import { startWitboostMock } from '@wb/witboost-mock';
 *
 * const wb = await startWitboostMock({ port: 0 });
 * const accessToken = wb.issueAccessToken();
 * const res = await fetch(`${wb.url}/api/auth/access-tokens/jwt`, {
 *   method: 'POST',
 *   headers: { 'content-type': 'application/json' },
 *   body: JSON.stringify({ access_token: accessToken }),
 * });
 * const { jwt } = await res.json();
 * await wb.close();
 * ```
 */
export async function startWitboostMock(options: WitboostMockOptions = {}): Promise<WitboostMock> {
  const resolved = resolveOptions(options);
  const tokens = createTokenStore();
  const faults = createFaults();
  const stats = createStats();
  const sleeper = createSleeper();
  const jwt = await createJwtIssuer();
  let issuer = resolved.issuer ?? '';
  let closed = false;

  const ctx: MockContext = {
    basicAuth: resolved.basicAuth,
    defaultDurationSeconds: resolved.defaultDurationSeconds,
    get issuer() {
      return issuer;
    },
    tokens,
    jwt,
    faults,
    stats,
    now: () => Date.now() + faults.clockSkewSeconds * 1000,
    sleep: sleeper.sleep,
    get closed() {
      return closed;
    },
  };

  const issueAccessToken: WitboostMock['issueAccessToken'] = (issueOptions = {}) => {
    checkIssueOptions(issueOptions);
    return tokens.issue(issueOptions.subject, issueOptions.expiresInSeconds, ctx.now());
  };
  const revoke = (accessToken: string) => tokens.revoke(accessToken);
  const resetStats = () => stats.reset();

  const server = createServer(createRouter(ctx, { issueAccessToken, revoke, resetStats }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = urlFor(resolved.host, port);
  issuer = resolved.issuer ?? url;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      closed = true;
      sleeper.wakeAll();
      server.close(() => resolve());
      // Keep-alive sockets would otherwise hold close() open until they time out.
      server.closeAllConnections();
    });
    return closing;
  };

  return {
    url,
    port,
    issueAccessToken,
    revoke,
    get stats() {
      return stats.snapshot();
    },
    get lastRequests() {
      return stats.requests();
    },
    faults: faults.api,
    get jwks() {
      return structuredClone(jwt.jwks);
    },
    resetStats,
    close,
    [Symbol.asyncDispose]: close,
  };
}
