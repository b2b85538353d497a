import { describeExampleApp } from '@wb/example-support/testing';
import { koaExample } from '../src/run-example.js';

describeExampleApp(koaExample);
