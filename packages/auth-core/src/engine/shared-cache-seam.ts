/**
 * The shared-store seam (section 6 of the design), typed here until `src/store/shared-cache.ts`
 * lands; then this file is replaced by `export type { SharedCache, SlotKey } from
 * '../store/shared-cache.js'`. The engine calls it only off the warm path.
 */
export interface SharedTokenRecord {
  jwt: string;
  refreshAt: number;
  deadlineAt: number;
}

export interface SlotKey {
  accessToken: string;
  baseUrl: string;
  scope: string | undefined;
  durationSeconds: number;
}

export interface SharedCache {
  acquire(
    key: SlotKey,
    exchange: () => Promise<SharedTokenRecord>,
    options: { refresh: boolean; signal?: AbortSignal },
  ): Promise<{ record: SharedTokenRecord; from: 'store' | 'exchange' }>;
  drop(key: SlotKey, jwt: string): void;
  watch(key: SlotKey, onChange: () => void): () => void;
  close(): Promise<void>;
}
