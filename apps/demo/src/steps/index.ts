import type { DemoStep } from '../context.js';
import * as basic from './basic.js';
import * as core from './core.js';
import * as exampleAxios from './example-axios.js';
import * as exampleExpress from './example-express.js';
import * as exampleKoa from './example-koa.js';
import * as exampleNestjs from './example-nestjs.js';
import * as outage from './outage.js';
import * as refresh from './refresh.js';
import * as replay from './replay.js';

/** The demo's sections, in order: the story a new user needs. */
export const steps: readonly DemoStep[] = [
  core,
  refresh,
  replay,
  outage,
  exampleAxios,
  exampleExpress,
  exampleKoa,
  exampleNestjs,
  basic,
];
