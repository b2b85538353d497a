import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';

/** The machine a run happened on, for the table heading and the README. */
export function machineDescription(): string {
  let model = cpus()[0]?.model ?? 'unknown CPU';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) model = line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // Not Linux: os.cpus() already gave the model.
  }
  return `${availableParallelism()} CPUs (${model}), Node ${process.version}, ${process.platform}/${process.arch}`;
}

/** 1-minute load average: figures taken on a busy machine are noisier (ratios less so). */
export const loadAverage = (): string => loadavg()[0]?.toFixed(2) ?? 'n/a';
