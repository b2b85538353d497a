import { createWitboostAuth } from '@wb/auth-core';
import { witboostAuth, witboostErrorHandler } from '@wb/auth-express';
import {
  CALLER_HEADER,
  countingAuth,
  describeMiddlewareContract,
  listen,
  useWitboostMock,
} from '@wb/middleware-contract';
import type { WitboostMock } from '@wb/witboost-mock';
import type { NextFunction, Request, Response } from 'express';
import { describe, expect, test } from 'vitest';
import { expressHarness, expressMajors } from './helpers.js';

/** Express 4 does not forward rejected promises: hand them to `next` ourselves. */
const route =
  (handler: (req: Request, res: Response) => Promise<void>) =>
  (req: Request, res: Response, next: NextFunction): void => {
    handler(req, res).catch(next);
  };

function subjectsOf(wb: WitboostMock): Array<string | null> {
  return wb.lastRequests.filter((r) => r.path.startsWith('/api/catalog')).map((r) => r.subject);
}

for (const { major, express } of expressMajors)
  describeMiddlewareContract(expressHarness(major, express));

describe.each(expressMajors)('$major', ({ express }) => {
  const mock = useWitboostMock();

  test('README example: lists data products with the service identity', async () => {
    const auth = createWitboostAuth({ baseUrl: mock.wb.url, accessToken: mock.serviceToken });
    mock.defer(() => auth.close());
    const witboost = witboostAuth({ auth });
    mock.defer(() => witboost.close());
    const app = express();
    app.use(witboost);
    app.get(
      '/data-products',
      route(async (req, res) => {
        const answer = await req.witboost.fetch('/api/catalog/entities?kind=DataProduct');
        res.json(await answer.json());
      }),
    );
    app.use(witboostErrorHandler());
    const server = await listen(app);
    mock.defer(() => server.close());

    const res = await fetch(`${server.url}/data-products`);
    expect(res.status).toBe(200);
    const products = (await res.json()) as Array<{ kind: string }>;
    expect(products.length).toBeGreaterThan(0);
    expect(products.every((p) => p.kind === 'DataProduct')).toBe(true);
    expect(mock.wb.stats.exchanges.byScope).toEqual({ '(none)': 1 });
    expect(subjectsOf(mock.wb)).toEqual(['service-account:example']);
    expect(witboost.name).toBe('witboostAuthMiddleware');
    // `{ auth }` belongs to the caller: closing the middleware leaves it usable.
    await witboost.close();
    await expect(auth.getToken()).resolves.toMatch(/^eyJ/);
  });

  test('other errors pass through witboostErrorHandler untouched', async () => {
    const app = express();
    app.get('/boom', () => {
      throw new Error('not ours');
    });
    app.use(witboostErrorHandler());
    app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
      res.status(418).json({ message: error.message });
    });
    const server = await listen(app);
    mock.defer(() => server.close());
    const res = await fetch(`${server.url}/boom`);
    expect(res.status).toBe(418);
    expect(await res.json()).toEqual({ message: 'not ours' });
  });
});

// Framework-independent (the middleware is called directly), so it runs once, not per major.
test('100,000 distinct callers keep the pool within maxIdentities', async () => {
  const { auth: counting, open } = countingAuth('https://witboost.example.com', 'wbat-service');
  const witboost = witboostAuth({
    auth: counting,
    maxIdentities: 100,
    identity: (req) => req.headers[CALLER_HEADER] as string | undefined,
  });
  try {
    let calls = 0;
    const next = (error?: unknown) => {
      if (error !== undefined) throw error;
      calls++;
    };
    for (let i = 0; i < 100_000; i++) {
      const req = { headers: { [CALLER_HEADER]: `wbat-caller-${i}` } } as unknown as Request;
      witboost(req, {} as Response, next);
      if (req.witboost === undefined) throw new Error(`no context for caller ${i}`);
      // As between requests: evicted identities finish closing, instead of 100,000 pending closes.
      if (i % 1000 === 999) await new Promise(setImmediate);
    }
    expect(calls).toBe(100_000);
    expect(witboost.identities).toBe(100);
    expect(open()).toBe(100);
  } finally {
    await witboost.close();
    await counting.close();
  }
  expect(open()).toBe(0);
}, 60_000);
