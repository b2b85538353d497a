import { startWitboostMock } from '@wb/witboost-mock';
import { expect, it } from 'vitest';
import { run } from './index.js';

function capture() {
  let text = '';
  return { stream: { write: (s: string) => (text += s) }, text: () => text };
}

it('README example: run(argv, io) with captured streams returns the exit code', async () => {
  await using wb = await startWitboostMock({ port: 0 });
  const out = capture();
  const err = capture();
  const code = await run(['token', '--format', 'json'], {
    stdout: out.stream,
    stderr: err.stream,
    env: {
      WITBOOST_BASE_URL: wb.url,
      WITBOOST_ACCESS_TOKEN: wb.issueAccessToken({ subject: 'user:bob' }),
    },
  });
  expect(code).toBe(0);
  expect(JSON.parse(out.text())).toMatchObject({ token_type: 'Bearer', subject: 'user:bob' });
  expect(err.text()).toBe('');
});

it('a proxy started by run() stops, drained, when io.signal aborts', async () => {
  await using wb = await startWitboostMock({ port: 0 });
  const out = capture();
  const stop = new AbortController();
  const running = run(['proxy'], {
    stdout: out.stream,
    stderr: capture().stream,
    env: { WITBOOST_BASE_URL: wb.url, WITBOOST_ACCESS_TOKEN: wb.issueAccessToken() },
    signal: stop.signal,
  });
  while (!out.text().includes('listening on')) await new Promise((r) => setTimeout(r, 20));
  const url = /listening on (\S+)/.exec(out.text())?.[1];
  expect((await fetch(`${url}/api/catalog/entities`)).status).toBe(200);
  stop.abort();
  expect(await running).toBe(0);
});

it('never throws: a bad argument is exit 2 on stderr', async () => {
  const err = capture();
  expect(await run(['token', '--format'], { stderr: err.stream, env: {} })).toBe(2);
  expect(err.text()).toMatch(/^wb-auth token: /);
});
