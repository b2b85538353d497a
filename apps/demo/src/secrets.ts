import { redactSecrets } from '@wb/auth-core';

/** `wbat-…abcd`: enough to tell tokens apart on screen, never enough to use one. */
export function showAccessToken(token: string): string {
  return `wbat-…${token.slice(-4)}`;
}

/**
 * Lines from code the demo does not own (the example apps) pass through this before printing:
 * a last line of defence, so no credential reaches the screen even if an example slipped.
 */
export function redact(text: string): string {
  return redactSecrets(text);
}
