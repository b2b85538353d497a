/**
 * A short, stable, non-secret id for a credential: enough to tell tokens apart in stats and logs
 * (`wbat-…abcd`), never enough to use one.
 */
export function redactToken(token: string): string {
  if (token.length < 12) return '(redacted)';
  const prefix = token.startsWith('wbat-') ? 'wbat-' : token.startsWith('eyJ') ? 'eyJ' : '';
  return `${prefix}…${token.slice(-4)}`;
}
