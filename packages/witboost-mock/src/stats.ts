import type { RecordedRequest, WitboostMockStats } from './types.js';

const MAX_RECORDED_REQUESTS = 100;

export interface StatsRecorder {
  snapshot(): WitboostMockStats;
  requests(): RecordedRequest[];
  recordExchange(outcome: { ok: boolean; scopeKey?: string; tokenId?: string }): void;
  recordProtected(path: string, status: number): void;
  recordRequest(entry: RecordedRequest): void;
  reset(): void;
}

function emptyStats(): WitboostMockStats {
  return {
    exchanges: { total: 0, ok: 0, failed: 0, byScope: {}, byAccessToken: {} },
    protectedRequests: {
      total: 0,
      ok: 0,
      unauthorized: 0,
      forbidden: 0,
      byPath: {},
      byStatus: {},
    },
  };
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** Counters and a bounded request log; keys are redacted ids, never credentials. */
export function createStats(): StatsRecorder {
  let stats = emptyStats();
  let recorded: RecordedRequest[] = [];

  return {
    snapshot: () => structuredClone(stats),
    requests: () => recorded.map((entry) => ({ ...entry })),
    recordExchange({ ok, scopeKey, tokenId }) {
      const { exchanges } = stats;
      exchanges.total += 1;
      if (ok) exchanges.ok += 1;
      else exchanges.failed += 1;
      if (scopeKey !== undefined) bump(exchanges.byScope, scopeKey);
      if (tokenId !== undefined) bump(exchanges.byAccessToken, tokenId);
    },
    recordProtected(path, status) {
      const counters = stats.protectedRequests;
      counters.total += 1;
      if (status >= 200 && status < 300) counters.ok += 1;
      if (status === 401) counters.unauthorized += 1;
      if (status === 403) counters.forbidden += 1;
      bump(counters.byPath, path);
      bump(counters.byStatus, String(status));
    },
    recordRequest(entry) {
      recorded.push(entry);
      if (recorded.length > MAX_RECORDED_REQUESTS) recorded.shift();
    },
    reset() {
      stats = emptyStats();
      recorded = [];
    },
  };
}
