export { describeExampleApp } from './app.js';
export { describeCli } from './cli.js';
export { describeMain } from './main.js';
export { describeRunExample } from './run-example.js';
