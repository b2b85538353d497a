import { runMain } from '@wb/example-support';
import { koaExample } from './run-example.js';

await runMain(koaExample);
