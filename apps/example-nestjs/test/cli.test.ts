import { describeCli } from '@wb/example-support/testing';
import { runCli } from '../src/cli.js';

describeCli(runCli, /^Failed: .*access_token_rejected/);
