import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterEach, beforeEach } from 'vitest';

/** The emulator of the current test and the cleanups it registered. */
export interface MockFixture {
  /** The emulator, fresh for each test. */
  readonly wb: WitboostMock;
  /** A service access token it issued, subject `service-account:example`. */
  readonly serviceToken: string;
  /** Runs `cleanup` after the test, in reverse order of registration (the emulator last). */
  defer(cleanup: () => Promise<unknown>): void;
}

/**
 * Registers `beforeEach`/`afterEach` hooks in the calling `describe`: a fresh emulator on port 0
 * and a service access token per test, and every deferred cleanup run after it.
 *
 * @returns the fixture, whose `wb` and `serviceToken` are read inside tests
 * @example
 * ```ts
 * import { useWitboostMock } from '@wb/middleware-contract';
 * const mock = useWitboostMock();
 * test('…', () => expect(mock.wb.url).toMatch(/^http:\/\/127\.0\.0\.1:/));
 * ```
 */
export function useWitboostMock(): MockFixture {
  let wb: WitboostMock | undefined;
  let serviceToken: string | undefined;
  const cleanups: Array<() => Promise<unknown>> = [];
  beforeEach(async () => {
    const started = await startWitboostMock({ port: 0 });
    wb = started;
    cleanups.push(() => started.close());
    serviceToken = started.issueAccessToken({ subject: 'service-account:example' });
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    get wb() {
      if (wb === undefined) throw new Error('useWitboostMock: read wb inside a test');
      return wb;
    },
    get serviceToken() {
      if (serviceToken === undefined) throw new Error('useWitboostMock: read inside a test');
      return serviceToken;
    },
    defer: (cleanup) => {
      cleanups.push(cleanup);
    },
  };
}
