import type { LangfuseClient } from "./client.js";
import type { LfObservation, LfTrace } from "./wire.js";
import { fromV2Observation, traceFromV2Rows } from "./wire-v2.js";

type Raw = Record<string, unknown>;
interface Page {
  data?: Raw[];
  meta?: { cursor?: string };
}

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

/** Thrown when a window holds more traces than the caller can take: read a narrower window. */
export class WindowTooLarge extends Error {
  override readonly name = "WindowTooLarge";
}

/** All rows for the query, following `meta.cursor` with the same parameters each time. */
async function readAll(client: LangfuseClient, query: Record<string, string | number>, rows: Map<string, Raw>, stats: { duplicates: number; requests: number }, maxTraces = Infinity) {
  const traces = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await client.get<Page>(V2_PATH, { ...query, ...(cursor ? { cursor } : {}) });
    stats.requests++;
    for (const row of page.data ?? []) {
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
    cursor = typeof page.meta?.cursor === "string" && page.meta.cursor ? page.meta.cursor : undefined;
  } while (cursor);
}

/**
 * Every observation that started in `[from, to)`, grouped into traces. Traces whose root started
 * before the window (long runs, late children) are completed with a per-trace query reaching
 * back an hour before their earliest row.
 */
export async function readV2Window(client: LangfuseClient, window: { from: Date; to: Date }, pageSize: number, maxTraces = Infinity): Promise<V2Result> {
  const stats = { duplicates: 0, requests: 0 };
  const rows = new Map<string, Raw>();
  const base = { fields: V2_FIELDS, limit: pageSize, toStartTime: window.to.toISOString() };
  await readAll(client, { ...base, fromStartTime: window.from.toISOString() }, rows, stats, maxTraces);

  const byTrace = groupByTrace(rows);
  for (const [traceId, traceRows] of byTrace) {
    if (traceRows.some((r) => !r.parentObservationId)) continue;
    const earliest = Math.min(...traceRows.map((r) => Date.parse(String(r.startTime))));
    const extra = new Map<string, Raw>(traceRows.map((r) => [String(r.id), r]));
    await readAll(client, { ...base, traceId, fromStartTime: new Date(earliest - TRACE_SLACK_MS).toISOString() }, extra, stats);
    byTrace.set(traceId, [...extra.values()]);
  }

  const bundles = [...byTrace].map(([traceId, traceRows]) => {
    const observations = traceRows.map(fromV2Observation).sort((a, b) => a.startTime.localeCompare(b.startTime));
    return { trace: traceFromV2Rows(traceId, traceRows, observations), observations };
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
