export type { ExampleDefinition, ExampleServiceConfig } from './example.js';
export { runMain } from './main.js';
export type { ExampleRunOptions, ExampleRunResult } from './run-example.js';
export { runExample } from './run-example.js';
export type { Target } from './target.js';
export { resolveTarget } from './target.js';
