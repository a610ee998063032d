import type { SpanSink } from "../sync/sink.js";
import type { ImportedSpan } from "../sync/types.js";
import type { JsonValue } from "./otlp-values.js";
import { type SpanRow, splitColumns } from "./span-row.js";
import type { Store } from "./store/index.js";

/** OTLP span kinds as the ingest path stores them. */
const OTEL_KIND = { INTERNAL: 1, CLIENT: 3 } as const;

const nanos = (iso: string) => (BigInt(Date.parse(iso)) * 1_000_000n).toString();

/**
 * An imported Langfuse span as a stored row: the SPEC §2 columns come out of the attributes the
 * same way as for pushed spans; Langfuse's extra data (attributes_json) stays in `attributes`.
 * A still-open span (no end time yet) is stored with end = start and `langfuse.span_open: true`;
 * the re-import that sees it close overwrites the row.
 */
export function toSpanRow(s: ImportedSpan): SpanRow {
  const attrs: Record<string, JsonValue> = { ...s.attributes_json, ...s.attributes };
  if (s.end_time === null) attrs["langfuse.span_open"] = true;
  const scope = s.attributes_json["langfuse.instrumentation_scope"];
  const start = nanos(s.start_time);
  return {
    trace_id: s.trace_id,
    span_id: s.span_id,
    parent_span_id: s.parent_span_id,
    name: s.name,
    otel_kind: OTEL_KIND[s.kind],
    status_code: s.status.code === "ERROR" ? "error" : "unset",
    status_message: s.status.message,
    start_ns: start,
    end_ns: s.end_time === null ? start : nanos(s.end_time),
    resource: s.resource,
    scope: typeof scope === "object" && scope !== null && !Array.isArray(scope) ? scope : { name: "langfuse" },
    events: [],
    links: [],
    ...splitColumns(attrs),
  };
}

/**
 * The dev server's store as the sync engine's sink: rows land with `source = 'langfuse'`, and each
 * written trace's imported span set is replaced (a late root removes the synthetic one).
 */
export function storeSink(store: Store, now: () => Date): SpanSink {
  return {
    upsert: (spans) => store.write(spans.map(toSpanRow), now(), "langfuse", { replaceTraces: true }),
  };
}
