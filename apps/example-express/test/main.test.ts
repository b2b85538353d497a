import { fileURLToPath } from 'node:url';
import { describeMain } from '@wb/example-support/testing';

describeMain('Express', fileURLToPath(new URL('..', import.meta.url)));
