import type { ImportedSpan } from "./types.js";

/** Where imported spans go. Implementations upsert by `(trace_id, span_id)`: a re-import replaces. */
export interface SpanSink {
  /** Store complete traces (every span of each trace in `spans`); resolves once committed. */
  upsert(spans: readonly ImportedSpan[], origin: { workspaceId: string; credentialId: string }): Promise<void>;
}

/** In-memory sink for tests and tools: the latest version of every span, keyed like the real store. */
export class MemorySpanSink implements SpanSink {
  readonly spans = new Map<string, ImportedSpan & { credential_id: string }>();
  writes = 0;

  async upsert(spans: readonly ImportedSpan[], origin: { workspaceId: string; credentialId: string }): Promise<void> {
    this.writes++;
    for (const s of spans) this.spans.set(`${s.trace_id}/${s.span_id}`, { ...s, credential_id: origin.credentialId });
  }

  traceIds(): string[] {
    return [...new Set([...this.spans.values()].map((s) => s.trace_id))].sort();
  }

  span(spanId: string): ImportedSpan | undefined {
    return [...this.spans.values()].find((s) => s.span_id === spanId);
  }
}
