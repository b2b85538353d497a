import { fileURLToPath } from 'node:url';
import { describeMain } from '@wb/example-support/testing';

describeMain('Koa', fileURLToPath(new URL('..', import.meta.url)));
