import { describeExampleApp } from '@wb/example-support/testing';
import { expressExample } from '../src/run-example.js';

describeExampleApp(expressExample);
