/** The shared-store seam (section 6 of the design): the engine calls it only off the warm path. */
export type {
  SharedCache,
  SharedChange,
  SharedTokenRecord,
  SlotKey,
} from '../store/shared-cache.js';
