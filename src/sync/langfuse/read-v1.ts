import type { LangfuseClient } from "./client.js";
import type { TraceBundle } from "./read-v2.js";
import { fromV1Observation, fromV1Trace, type LfTrace } from "./wire.js";

type Raw = Record<string, unknown>;
interface TracesPage {
  data?: Raw[];
  meta?: { page?: number; totalPages?: number; totalItems?: number };
}

export interface V1Options {
  pageSize: number;
  /** True when this list item is unchanged since the last import (and nothing of it was still open), so its detail is not fetched. */
  unchanged: (traceId: string, listFingerprint: string) => boolean;
}

export interface V1Item {
  traceId: string;
  timestamp: string;
  listFingerprint: string;
  /** Absent when the list item was unchanged and the detail was not fetched. */
  bundle?: TraceBundle;
}

/**
 * What a v1 list item says about change. `updatedAt` moves when the trace itself is written, but
 * Langfuse writes span/generation updates to the observations only: those show as a new cost, a
 * new observation count or a moved latency (computed from the observations' start/end times).
 */
export function listFingerprint(t: LfTrace): string {
  return `${t.updatedAt ?? ""}|${t.totalCost ?? ""}|${t.observationIds.length}|${t.output === undefined ? 0 : 1}|${t.latency ?? ""}`;
}

/**
 * v1 (self-hosted v3, older Cloud): list traces by timestamp ascending, page by page, then fetch
 * each changed trace's detail (all observations with IO, plus scores). Yields in trace order so
 * the caller can stop at its budget and resume from the last timestamp.
 */
export async function* readV1Window(client: LangfuseClient, window: { from: Date; to: Date }, opts: V1Options): AsyncGenerator<V1Item> {
  const query = {
    fromTimestamp: window.from.toISOString(),
    toTimestamp: window.to.toISOString(),
    orderBy: "timestamp.asc",
    limit: opts.pageSize,
    fields: "core,io,metrics,observations",
  };
  const seen = new Set<string>();
  for (let page = 1; ; page++) {
    const res = await client.get<TracesPage>("/api/public/traces", { ...query, page });
    const items = res.data ?? [];
    for (const raw of items) {
      const listed = fromV1Trace(raw);
      if (seen.has(listed.id)) continue; // offset drift: new data can shift an item onto the next page
      seen.add(listed.id);
      const fp = listFingerprint(listed);
      if (opts.unchanged(listed.id, fp)) {
        yield { traceId: listed.id, timestamp: listed.timestamp, listFingerprint: fp };
        continue;
      }
      const detail = await client.get<Raw>(`/api/public/traces/${encodeURIComponent(listed.id)}`);
      const trace = fromV1Trace(detail);
      const observations = (Array.isArray(detail.observations) ? (detail.observations as Raw[]) : [])
        .filter((o) => typeof o === "object" && o !== null)
        .map(fromV1Observation)
        .sort((a, b) => a.startTime.localeCompare(b.startTime));
      yield { traceId: listed.id, timestamp: listed.timestamp, listFingerprint: fp, bundle: { trace, observations, listFingerprint: fp } };
    }
    const totalPages = res.meta?.totalPages ?? 0;
    if (items.length === 0 || page >= totalPages) return;
  }
}
