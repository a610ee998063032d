import type { LangfuseClient } from "./client.js";
import { readMetadataPage } from "./metadata-v2.js";
import { readScoresV3 } from "./scores-v3.js";
import type { LfObservation, LfTrace } from "./wire.js";
import { fromV2Observation, traceFromV2Rows } from "./wire-v2.js";

type Raw = Record<string, unknown>;

export const V2_PATH = "/api/public/v2/observations";
export const V2_FIELDS = "core,basic,time,io,metadata,model,usage,prompt,metrics,trace_context";
/** Langfuse stores observations up to an hour before their trace's timestamp (notes §5.3.10). */
const TRACE_SLACK_MS = 60 * 60 * 1000;

export interface TraceBundle {
  trace: LfTrace;
  observations: LfObservation[];
  /** v1 only: the list item's change signal, remembered once the trace is stored. */
  listFingerprint?: string;
}

export interface V2Result {
  bundles: TraceBundle[];
  /** Rows dropped because an identical id appeared again (v2 reads are not de-duplicated). */
  duplicates: number;
  requests: number;
}

export interface V2ReadOptions {
  pageSize: number;
  /** Stop (throw {@link WindowTooLarge}) once the window holds more traces than this. */
  maxTraces?: number;
  /** Where an already stored trace starts (its earliest observation), so a re-scan completes it from there. */
  storedStart?: (traceId: string) => string | undefined;
}

/** Thrown when a window holds more traces than the caller can take: read a narrower window. */
export class WindowTooLarge extends Error {
  override readonly name = "WindowTooLarge";
}

type Stats = { duplicates: number; requests: number };

/** All rows for the query, following `meta.cursor` with the same parameters each time. */
async function readAll(
  client: LangfuseClient,
  query: Record<string, string | number>,
  rows: Map<string, Raw>,
  stats: Stats,
  maxTraces = Infinity,
) {
  const traces = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await readMetadataPage(client, V2_PATH, { ...query, ...(cursor ? { cursor } : {}) }, stats);
    for (const row of page.data) {
      const id = String(row.id);
      const prev = rows.get(id);
      if (prev) {
        stats.duplicates++;
        if (String(row.updatedAt ?? "") <= String(prev.updatedAt ?? "")) continue;
      }
      rows.set(id, row);
      traces.add(String(row.traceId ?? ""));
    }
    // stop paging early rather than hold an unbounded window in memory
    if (traces.size > maxTraces) throw new WindowTooLarge(`more than ${maxTraces} traces in the window`);
    cursor = page.cursor;
  } while (cursor);
}

/**
 * A trace needs its own read when the window shows only part of it: no root row, a row whose
 * parent is outside the window, or the store already knows it started before these rows.
 */
function partialSince(rows: Raw[], stored: string | undefined): number | undefined {
  const ids = new Set(rows.map((r) => String(r.id)));
  const earliest = Math.min(...rows.map((r) => Date.parse(String(r.startTime))));
  const storedMs = stored ? Date.parse(stored) : NaN;
  const rootless = !rows.some((r) => !r.parentObservationId);
  const orphaned = rows.some((r) => r.parentObservationId && !ids.has(String(r.parentObservationId)));
  const startsEarlier = Number.isFinite(storedMs) && storedMs < earliest;
  if (!rootless && !orphaned && !startsEarlier) return undefined;
  return Math.min(earliest, Number.isFinite(storedMs) ? storedMs : earliest);
}

/**
 * Every observation that started in `[from, to)`, grouped into traces, with their scores.
 * Traces the window shows only part of (long runs, children exported before their root) are
 * completed with a per-trace query reaching back an hour before their earliest known observation
 * (the earliest in the window or, for a trace imported before, the earliest stored).
 */
export async function readV2Window(client: LangfuseClient, window: { from: Date; to: Date }, o: V2ReadOptions): Promise<V2Result> {
  const stats = { duplicates: 0, requests: 0 };
  const rows = new Map<string, Raw>();
  const base = { fields: V2_FIELDS, limit: o.pageSize, toStartTime: window.to.toISOString() };
  await readAll(client, { ...base, fromStartTime: window.from.toISOString() }, rows, stats, o.maxTraces);

  const byTrace = groupByTrace(rows);
  for (const [traceId, traceRows] of byTrace) {
    const since = partialSince(traceRows, o.storedStart?.(traceId));
    if (since === undefined) continue;
    const extra = new Map<string, Raw>(traceRows.map((r) => [String(r.id), r]));
    await readAll(client, { ...base, traceId, fromStartTime: new Date(since - TRACE_SLACK_MS).toISOString() }, extra, stats);
    byTrace.set(traceId, [...extra.values()]);
  }

  const scores = await readScoresV3(client, [...byTrace.keys()], stats);
  const bundles = [...byTrace].map(([traceId, traceRows]) => {
    const observations = traceRows.map(fromV2Observation).sort((a, b) => a.startTime.localeCompare(b.startTime));
    return { trace: { ...traceFromV2Rows(traceId, traceRows, observations), scores: scores.get(traceId) ?? [] }, observations };
  });
  return { bundles, duplicates: stats.duplicates, requests: stats.requests };
}

function groupByTrace(rows: Map<string, Raw>): Map<string, Raw[]> {
  const out = new Map<string, Raw[]>();
  for (const row of rows.values()) {
    const id = String(row.traceId ?? "");
    if (!id) continue;
    const list = out.get(id) ?? [];
    list.push(row);
    out.set(id, list);
  }
  return out;
}
