import { runCli } from './cli.js';

process.exitCode = await runCli({ env: process.env, out: console.log, err: console.error });
