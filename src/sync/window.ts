/** Timing of the incremental re-scan (docs/sync.md "Incremental strategy"). */
export interface WindowOptions {
  /** Re-scan this far behind the watermark so late outputs, costs and children are picked up. Default 1 h. */
  overlapMs: number;
  /** Never read closer to "now" than this: ingestion lags (v1 up to ~10 min). Default 2 min. */
  lagMs: number;
  /** How far back the first import of a credential reaches. Default 7 days. */
  initialLookbackMs: number;
  /** Size of one read slice; slices go oldest first so the watermark can advance per slice. Default 6 h. */
  sliceMs: number;
}

export const DEFAULT_WINDOW: WindowOptions = {
  overlapMs: 60 * 60 * 1000,
  lagMs: 2 * 60 * 1000,
  initialLookbackMs: 7 * 24 * 60 * 60 * 1000,
  sliceMs: 6 * 60 * 60 * 1000,
};

export interface Slice {
  from: Date;
  to: Date;
}

/** `[watermark - overlap, now - lag)` (or the initial look-back), cut into oldest-first slices. */
export function planSlices(watermark: string | null, now: number, o: WindowOptions): Slice[] {
  const to = now - o.lagMs;
  const wm = watermark ? Date.parse(watermark) : NaN;
  const from = Number.isFinite(wm) ? Math.min(wm - o.overlapMs, to) : to - o.initialLookbackMs;
  const slices: Slice[] = [];
  for (let start = from; start < to; start += o.sliceMs)
    slices.push({ from: new Date(start), to: new Date(Math.min(start + o.sliceMs, to)) });
  return slices;
}
