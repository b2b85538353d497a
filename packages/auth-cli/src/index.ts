export type { ExitCode } from './exit-codes.js';
export type { CliIo, CliWritable } from './io.js';
export { run } from './run.js';
