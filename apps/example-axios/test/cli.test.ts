import { describeCli } from '@wb/example-support/testing';
import { runCli } from '../src/cli.js';

describeCli(runCli, /^Failed: ERR_WITBOOST_AUTH: .*\(cause: access_token_rejected\)$/);
