import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type BenchResult, meetsGoal } from './result.js';

const fmt = (n: number | null): string =>
  n === null ? '—' : Number.isInteger(n) ? n.toLocaleString('en-US') : String(n);

/** The results as a Markdown table (also readable in a terminal). */
export function formatTable(results: readonly BenchResult[]): string {
  const rows = results.map((r) => [
    r.metric,
    `${fmt(r.ours)} ${r.unit}`,
    r.baseline === null ? '—' : `${fmt(r.baseline)} ${r.unit}`,
    fmt(r.ratio),
    `${r.better === 'higher' ? '>=' : '<='} ${r.goal}`,
    meetsGoal(r) ? 'pass' : 'FAIL',
  ]);
  const head = ['metric', 'ours', 'baseline', 'ratio', 'goal', 'result'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Writes the stable JSON array (see bench/README.md). */
export function writeJson(path: string, results: readonly BenchResult[]): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}
