import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWitboostAuth } from '../src/index.js';

let wb: WitboostMock;
beforeAll(async () => {
  wb = await startWitboostMock({ port: 0 });
});
afterAll(async () => {
  await wb.close();
});

describe('log lines', () => {
  it('never carry a `level` field of their own: JSON loggers such as pino own that key', async () => {
    const lines: Array<{ level: string; fields: Record<string, unknown> }> = [];
    const record = (level: string) => (fields: Record<string, unknown>) => {
      lines.push({ level, fields });
    };
    const logger = {
      debug: record('debug'),
      info: record('info'),
      warn: record('warn'),
      error: record('error'),
    };
    const auth = createWitboostAuth({
      baseUrl: wb.url,
      accessToken: wb.issueAccessToken(),
      logger,
    });
    try {
      await auth.getToken();
    } finally {
      await auth.close();
    }
    const lookup = lines.find((line) => line.fields.type === 'cache_lookup');
    expect(lookup?.fields).toMatchObject({ cacheLevel: 'l1', result: 'miss' });
    for (const line of lines) expect(Object.hasOwn(line.fields, 'level')).toBe(false);
  });
});
