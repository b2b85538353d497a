export type { CliIo, CliRunTarget } from './cli.js';
export { runCli } from './cli.js';
export type { ExampleDefinition, ExampleServiceConfig } from './example.js';
export { runMain } from './main.js';
export type { ExampleRunOptions, ExampleRunResult } from './run-example.js';
export { runExample } from './run-example.js';
export type { Target } from './target.js';
export { resolveTarget, TargetConfigError } from './target.js';
