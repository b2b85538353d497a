/** One line of `bench/results/latest.json`. Keep this shape stable: the root README and CI read it. */
export interface BenchResult {
  metric: string;
  /** Our figure, in `unit`. */
  ours: number;
  /** What `ours` is compared with, in `unit`; `null` when the metric has no measured baseline. */
  baseline: number | null;
  /** ours ÷ baseline, or the metric's own figure when it is defined as a count or size. */
  ratio: number;
  /** Threshold the ratio must meet (`>=` when `better` is `higher`, `<=` when `lower`). */
  goal: number;
  better: 'higher' | 'lower';
  unit: string;
  note: string;
}

/** Whether a result meets its goal. */
export function meetsGoal(result: BenchResult): boolean {
  return result.better === 'higher' ? result.ratio >= result.goal : result.ratio <= result.goal;
}
