import { describeRunExample } from '@wb/example-support/testing';
import { runExpressExample } from '../src/run-example.js';

describeRunExample('Express', runExpressExample);
