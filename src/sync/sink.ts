import type { ImportedSpan } from "./types.js";

/**
 * Where imported spans go. Each call carries complete traces, and a trace's stored span set
 * becomes exactly the spans given for it: spans are upserted by `(trace_id, span_id)` and the
 * trace's other imported spans (e.g. a synthetic root once the real root arrived) are removed.
 */
export interface SpanSink {
  /** Store complete traces (every span of each trace in `spans`); resolves once committed. */
  upsert(spans: readonly ImportedSpan[], origin: { workspaceId: string; credentialId: string }): Promise<void>;
}

/** In-memory sink for tests and tools: the latest span set of every trace, keyed like the real store. */
export class MemorySpanSink implements SpanSink {
  readonly spans = new Map<string, ImportedSpan & { credential_id: string }>();
  writes = 0;

  async upsert(spans: readonly ImportedSpan[], origin: { workspaceId: string; credentialId: string }): Promise<void> {
    this.writes++;
    const traces = new Set(spans.map((s) => s.trace_id));
    for (const [key, s] of this.spans) if (traces.has(s.trace_id)) this.spans.delete(key);
    for (const s of spans) this.spans.set(`${s.trace_id}/${s.span_id}`, { ...s, credential_id: origin.credentialId });
  }

  traceIds(): string[] {
    return [...new Set([...this.spans.values()].map((s) => s.trace_id))].sort();
  }

  span(spanId: string): ImportedSpan | undefined {
    return [...this.spans.values()].find((s) => s.span_id === spanId);
  }
}
