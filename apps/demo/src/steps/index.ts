import type { DemoStep } from '../context.js';
import * as basicAuth from './basic-auth.js';
import * as catalog from './catalog.js';
import * as exchange from './exchange.js';
import * as governance from './governance.js';

/** The demo's sections, in order. Add an adapter example by adding its module here. */
export const steps: readonly DemoStep[] = [exchange, catalog, governance, basicAuth];
