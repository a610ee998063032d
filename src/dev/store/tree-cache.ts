import type { TreeSkeleton } from "../tree-page.js";

/** A run's tree order as of one version of its summary row (see read-nodes.ts). */
export interface CachedSkeleton extends TreeSkeleton {
  /** The `xmin` of the run's `traces` row when the skeleton was read: every write to the run changes it. */
  readonly version: string;
}

export interface TreeCacheLimits {
  /** Runs kept at most. Default 64. */
  maxEntries?: number;
  /** Spans kept at most over all runs (a span costs ~100 bytes here). Default 200,000 (~20 MB). */
  maxSpans?: number;
}

/**
 * The tree order of recently paged runs, least recently used evicted first, bounded by runs and
 * by spans in all. A run larger than the span bound is never kept (each of its pages then reads its
 * skeleton again). Entries carry their version: a reader compares it with the run's current one and
 * drops a stale entry, so this cache never decides what is fresh.
 */
export class TreeCache {
  private readonly entries = new Map<string, CachedSkeleton>();
  private spanCount = 0;
  private readonly maxEntries: number;
  private readonly maxSpans: number;

  constructor(limits: TreeCacheLimits = {}) {
    this.maxEntries = Math.max(0, limits.maxEntries ?? 64);
    this.maxSpans = Math.max(0, limits.maxSpans ?? 200_000);
  }

  get(traceId: string): CachedSkeleton | undefined {
    const hit = this.entries.get(traceId);
    if (hit) {
      // Map order is insertion order: re-inserting marks the entry most recently used
      this.entries.delete(traceId);
      this.entries.set(traceId, hit);
    }
    return hit;
  }

  set(traceId: string, skeleton: CachedSkeleton): void {
    this.delete(traceId);
    const size = skeleton.ids.length;
    if (size > this.maxSpans || this.maxEntries === 0) return;
    this.entries.set(traceId, skeleton);
    this.spanCount += size;
    for (const [oldest, s] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.spanCount <= this.maxSpans) break;
      this.entries.delete(oldest);
      this.spanCount -= s.ids.length;
    }
  }

  delete(traceId: string): void {
    const old = this.entries.get(traceId);
    if (!old) return;
    this.entries.delete(traceId);
    this.spanCount -= old.ids.length;
  }

  /** What the cache holds now: runs and spans. */
  get size(): { entries: number; spans: number } {
    return { entries: this.entries.size, spans: this.spanCount };
  }
}
