#!/usr/bin/env node
import { run } from './run.js';

// SIGTERM and SIGINT stop a running proxy gracefully (it drains, then run() returns 0); the
// one-shot commands finish on their own. A second signal stops at once.
const stop = new AbortController();
const onSignal = (signal: NodeJS.Signals) => {
  if (stop.signal.aborted) process.exit(signal === 'SIGINT' ? 130 : 143);
  stop.abort();
};
process.on('SIGTERM', onSignal);
process.on('SIGINT', onSignal);

run(process.argv.slice(2), { signal: stop.signal }).then((code) => {
  // No process.exit(): stdout must drain first (a JWT piped into another program).
  process.exitCode = code;
  process.removeListener('SIGTERM', onSignal);
  process.removeListener('SIGINT', onSignal);
});
