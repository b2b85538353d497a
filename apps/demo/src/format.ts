/** `850 ms`, `2.1 s`, `4 min 58 s`: short enough for one line. */
export function duration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1_000) return `${Math.round(ms)} ms`;
  if (abs < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const seconds = Math.round(abs / 1_000);
  const sign = ms < 0 ? '-' : '';
  return `${sign}${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** `in 4 min 58 s` / `2.1 s ago`, relative to `now`. */
export function relative(epochMs: number, now = Date.now()): string {
  const delta = epochMs - now;
  return delta >= 0 ? `in ${duration(delta)}` : `${duration(-delta)} ago`;
}

/** `(none)` for the default JWT, else the scope itself. */
export function scopeLabel(scope: string | undefined): string {
  return scope ?? '(none)';
}

/** Pads every cell so the columns line up; the first column left-aligned, the others right. */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('   ')
      .trimEnd(),
  );
}
