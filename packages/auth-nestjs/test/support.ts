import 'reflect-metadata';
import type { LoggerService, ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterAll, afterEach, beforeAll } from 'vitest';

/** Something a test opened: a Nest app, a testing module, a server. */
interface Closable {
  close(): Promise<unknown>;
}

/**
 * Starts one emulator per test file and closes everything registered with `track` after each
 * test, so no server or Nest application outlives its test.
 */
export function useEmulator(): { readonly wb: WitboostMock; track<T extends Closable>(c: T): T } {
  let wb: WitboostMock | undefined;
  const open: Closable[] = [];
  beforeAll(async () => {
    wb = await startWitboostMock({ port: 0 });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
    wb?.resetStats();
    wb?.faults.reset();
  });
  afterAll(async () => {
    await wb?.close();
  });
  return {
    get wb() {
      if (wb === undefined) throw new Error('emulator not started');
      return wb;
    },
    track(c) {
      open.push(c);
      return c;
    },
  };
}

/** Every secret-looking thing: access tokens and compact JWTs. */
export const SECRET_PATTERN = /wbat-[A-Za-z0-9_-]{8,}|eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/;

const silent: LoggerService = { log() {}, error() {}, warn() {} };

/**
 * `Test.createTestingModule` with a logger: the testing module installs its own logger when
 * compiling, which would print expected failures and hide what a filter logs.
 */
export function createTestingModule(metadata: ModuleMetadata, logger: LoggerService = silent) {
  return Test.createTestingModule(metadata).setLogger(logger);
}
