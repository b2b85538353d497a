import { runMain } from '@wb/example-support';
import { expressExample } from './run-example.js';

await runMain(expressExample);
