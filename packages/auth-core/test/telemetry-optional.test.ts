import { execFile } from 'node:child_process';
import { channel, subscribe, unsubscribe } from 'node:diagnostics_channel';
import { cp, mkdir, mkdtemp, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { metrics, trace } from '@opentelemetry/api';
import { createWitboostAuth, type WitboostAuthEvent } from '@wb/auth-core';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOtelSdk } from './support/otel-sdk.js';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
let wb: WitboostMock;

beforeEach(async () => {
  wb = await startWitboostMock({ port: 0 });
});
afterEach(async () => {
  await wb.close();
});

/**
 * Copies core's src to a fresh directory with only `jose` beside it (and the API when asked),
 * then runs a child that uses it against the emulator and reports the modules it loaded.
 */
async function runWithout(api: 'absent' | 'present') {
  const dir = await mkdtemp(join(tmpdir(), 'wb-otel-'));
  try {
    await cp(join(packageDir, 'src'), join(dir, 'src'), { recursive: true });
    await mkdir(join(dir, 'node_modules', '@opentelemetry'), { recursive: true });
    const link = async (name: string) =>
      symlink(
        await realpath(join(packageDir, 'node_modules', name)),
        join(dir, 'node_modules', name),
        'dir',
      );
    await link('jose');
    if (api === 'present') await link('@opentelemetry/api');
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', join(packageDir, 'test/fixtures/otel-absent-child.ts')],
      {
        cwd: packageDir,
        env: {
          ...process.env,
          NODE_PATH: '',
          WB_CORE: join(dir, 'src', 'index.ts'),
          WB_URL: wb.url,
          WB_TOKEN: wb.issueAccessToken(),
        },
      },
    );
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
      resolvable: boolean;
      bearer: boolean;
      status: number;
      events: string[];
      loaded: string[];
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('@opentelemetry/api is optional', () => {
  it('absent: everything works and no OpenTelemetry module is loaded', async () => {
    const absent = await runWithout('absent');
    expect(absent).toMatchObject({ resolvable: false, bearer: true, status: 200, loaded: [] });
    expect(absent.events).toContain('exchange');
    // The same harness with the API beside core does load it: the check above can fail.
    const present = await runWithout('present');
    expect(present).toMatchObject({ resolvable: true, bearer: true, status: 200 });
    expect(present.loaded.some((path) => path.includes('@opentelemetry/api'))).toBe(true);
  }, 60_000);

  it('present without options: records to the providers the application registered', async () => {
    const sdk = createOtelSdk();
    // Created before the SDK registers (an import order nobody controls): still recorded.
    const auth = createWitboostAuth({ baseUrl: wb.url, accessToken: wb.issueAccessToken() });
    trace.setGlobalTracerProvider(sdk.tracerProvider);
    metrics.setGlobalMeterProvider(sdk.meterProvider);
    try {
      await auth.getToken();
      expect(sdk.spans().map((s) => s.name)).toEqual(['witboost.auth.exchange']);
      expect(await sdk.total('witboost.auth.exchanges')).toBe(1);
      expect(
        await sdk.total('witboost.auth.tokens', { 'witboost.auth.token.state': 'fresh' }),
      ).toBe(1);
    } finally {
      await auth.close();
      trace.disable();
      metrics.disable();
      await sdk.shutdown();
    }
  });

  it('a throwing SDK never fails a request', async () => {
    const broken = () => {
      throw new Error('exporter down');
    };
    const auth = createWitboostAuth({
      baseUrl: wb.url,
      accessToken: wb.issueAccessToken(),
      tracerProvider: { getTracer: () => ({ startSpan: broken }) },
    });
    await expect(auth.getToken()).resolves.toMatch(/^eyJ/);
    await auth.close();
  });

  it('rejects a value that is not a provider; ignores one planted on Object.prototype', async () => {
    const base = { baseUrl: wb.url, accessToken: wb.issueAccessToken() };
    expect(() => createWitboostAuth({ ...base, meterProvider: {} as never })).toThrow(
      expect.objectContaining({
        code: 'invalid_options',
        message: expect.stringContaining('meterProvider must be an OpenTelemetry MeterProvider'),
      }),
    );
    const sdk = createOtelSdk();
    const proto = Object.prototype as Record<string, unknown>;
    proto.tracerProvider = sdk.tracerProvider;
    try {
      const auth = createWitboostAuth(base);
      await auth.getToken();
      await auth.close();
    } finally {
      delete proto.tracerProvider;
    }
    expect(sdk.spans()).toEqual([]);
    await sdk.shutdown();
  });
});

describe('diagnostics_channel', () => {
  it('publishes every event on "witboost.auth" while someone listens', async () => {
    const seen: WitboostAuthEvent[] = [];
    const listener = (message: unknown) => seen.push(message as WitboostAuthEvent);
    subscribe('witboost.auth', listener);
    const auth = createWitboostAuth({ baseUrl: wb.url, accessToken: wb.issueAccessToken() });
    try {
      await auth.getToken();
      expect(seen.map((e) => e.type)).toEqual(
        expect.arrayContaining(['exchange', 'caller_waiting']),
      );
      expect(JSON.stringify(seen)).not.toMatch(/wbat-|eyJ/);
    } finally {
      unsubscribe('witboost.auth', listener);
    }
    const count = seen.length;
    await auth.getToken({ scope: 'service:computational-governance' });
    expect(seen).toHaveLength(count);
    await auth.close();
  });

  it('publishes nothing at all without a subscriber', async () => {
    const publish = vi.spyOn(channel('witboost.auth'), 'publish');
    const auth = createWitboostAuth({ baseUrl: wb.url, accessToken: wb.issueAccessToken() });
    await auth.getToken();
    await auth.close();
    expect(publish).not.toHaveBeenCalled();
    publish.mockRestore();
  });
});
