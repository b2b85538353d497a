import { runDemo } from './run-demo.js';

process.exitCode = await runDemo();
