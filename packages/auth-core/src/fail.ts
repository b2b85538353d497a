import { WitboostAuthError } from './errors.js';

/** Throws the `invalid_options` error every validator uses. */
export function invalidOption(message: string): never {
  throw new WitboostAuthError('invalid_options', message);
}
