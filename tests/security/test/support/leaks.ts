import { inspect } from 'node:util';
import { expect } from 'vitest';

/** Shortest run of a secret's characters that counts as leaked. */
const WINDOW = 10;
const INVISIBLE = /[\s\u00ad\u200b-\u200f\u2060-\u2064\ufeff]/g;

/** Every way an application might print `value`. */
export function renderings(value: unknown): string[] {
  const out = [String(value)];
  if (value instanceof Error) out.push(value.message, value.stack ?? '');
  try {
    out.push(JSON.stringify(value) ?? '');
  } catch {
    // Circular: what JSON.stringify cannot print, it cannot leak.
  }
  out.push(inspect(value, { depth: 12 }), inspect(value, { depth: 12, showHidden: true }));
  return out;
}

/** The secret-bearing forms of a credential: the random part, and its Basic encoding. */
function formsOf(secret: string): string[] {
  const core = secret.startsWith('wbat-') ? secret.slice(5) : secret;
  // A JWT's header and the start of its payload are the same in every JWT; its signature is not.
  const jwtParts = core.split('.');
  const parts = jwtParts.length === 3 ? [jwtParts[2] as string] : [core];
  // Past `witboost:wbat-`, which is the same in every Basic header.
  const basic = Buffer.from(`witboost:${secret}`).toString('base64').slice(20, -4);
  return [...parts, basic];
}

/**
 * Fails when any rendering of any value holds a run of {@link WINDOW} characters of a secret
 * (or of its Basic base64), also once whitespace and zero-width characters are dropped.
 */
export function expectNoLeak(values: readonly unknown[], secrets: readonly string[]): void {
  const texts = values.flatMap(renderings);
  for (const secret of secrets) {
    for (const form of formsOf(secret)) {
      for (const text of texts) {
        const compact = text.replace(INVISIBLE, '');
        for (let i = 0; i + WINDOW <= form.length; i += 3) {
          const piece = form.slice(i, i + WINDOW);
          const at = compact.indexOf(piece);
          if (at >= 0) {
            const around = compact.slice(Math.max(0, at - 120), at).replace(/\s+/g, ' ');
            expect.fail(`a fragment of a secret leaked, after: …${around}`);
          }
        }
      }
    }
  }
}

/** The error `fn` throws or rejects with; fails when it does not. */
export async function thrown(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  return expect.fail('expected an error');
}
