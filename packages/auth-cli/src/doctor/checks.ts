import { basic, cgScope, configuration, exchange } from './account-checks.js';
import type { Check } from './check.js';
import { clock, proxyVariables } from './environment-checks.js';
import { dns, reachability, tls } from './network-checks.js';

/** The doctor's checks, in the order they run; later ones use what earlier ones learnt. */
export const CHECKS: readonly Check[] = [
  configuration,
  dns,
  tls,
  reachability,
  exchange,
  cgScope,
  basic,
  clock,
  proxyVariables,
];
