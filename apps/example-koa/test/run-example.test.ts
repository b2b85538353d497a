import { describeRunExample } from '@wb/example-support/testing';
import { runKoaExample } from '../src/run-example.js';

describeRunExample('Koa', runKoaExample);
