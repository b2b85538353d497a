import { runDemo } from './run.js';
import { sections } from './sections.js';

process.exitCode = await runDemo(sections);
