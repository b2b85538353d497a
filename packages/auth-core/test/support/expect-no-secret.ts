import { inspect } from 'node:util';
import { expect } from 'vitest';

/**
 * Asserts that `value` (usually a thrown error) does not reveal any of `secrets` however it is
 * printed: message, String(), JSON.stringify and util.inspect (which also prints causes).
 */
export function expectNoSecret(value: unknown, secrets: readonly string[]): void {
  const renderings = [
    value instanceof Error ? value.message : '',
    String(value),
    JSON.stringify(value) ?? '',
    inspect(value, { depth: 10 }),
  ];
  for (const secret of secrets) {
    for (const text of renderings) expect(text).not.toContain(secret);
  }
}

/** Runs `fn` and returns what it threw (sync or async); fails the test when it did not throw. */
export async function caught(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

/** A realistic access token: `wbat-` + 35 base64url characters. */
export function sampleAccessToken(seed = 'a'): string {
  return `wbat-${`${seed}Zx9_Qm-4Lk2Pp8Rt7Vw1Yb6Nc3Hd5Jf0Gs`.slice(0, 35)}`;
}
