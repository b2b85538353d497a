import type { WitboostAuth } from '@wb/auth-core';
import { describe, expect, test, vi } from 'vitest';
import { guardRedirects } from './redirect.js';

// Only the origin rule is under test here; the real interplay runs in test/axios.test.ts.
const auth = {
  isWitboostUrl: (url: string | URL) =>
    ['https://wb.example.com', 'https://wcg.example.com'].includes(new URL(url).origin),
} as WitboostAuth;

function redirect(hook: ReturnType<typeof guardRedirects>, href: string) {
  const options = { href, headers: { AUTHORIZATION: 'Bearer jwt', accept: '*/*' } };
  hook(options, { headers: {}, statusCode: 302 }, { headers: {}, url: '', method: 'GET' });
  return options.headers as Record<string, string>;
}

describe('guardRedirects', () => {
  const start = 'https://wb.example.com/api/x';

  test.each([
    ['a subdomain', 'https://evil.wb.example.com/x'],
    ['another Witboost origin', 'https://wcg.example.com/x'],
    ['an http downgrade', 'http://wb.example.com/x'],
    ['another port', 'https://wb.example.com:8443/x'],
    ['an unparsable target', 'not a url'],
  ])('drops Authorization on a redirect to %s', (_name, href) => {
    expect(redirect(guardRedirects(auth, start, undefined), href)).toEqual({ accept: '*/*' });
  });

  test('keeps it on the same origin', () => {
    expect(redirect(guardRedirects(auth, start, undefined), 'https://wb.example.com/y')).toEqual({
      AUTHORIZATION: 'Bearer jwt',
      accept: '*/*',
    });
  });

  test("calls the user's hook once, also when wrapped again on a replay", () => {
    const userHook = vi.fn();
    const twice = guardRedirects(auth, start, guardRedirects(auth, start, userHook));

    redirect(twice, 'https://wb.example.com/y');

    expect(userHook).toHaveBeenCalledTimes(1);
  });
});
