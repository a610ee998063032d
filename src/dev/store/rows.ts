/** Row → API object conversions shared by the read queries. Pure. */

export function nsToIso(ns: string): string {
  return new Date(Number(BigInt(ns) / 1_000_000n)).toISOString();
}

export function durationMs(startNs: string, endNs: string): number {
  return Number(BigInt(endNs) - BigInt(startNs)) / 1e6;
}

export function num(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}

export function total(a: unknown, b: unknown): number | null {
  return a === null && b === null ? null : (num(a) ?? 0) + (num(b) ?? 0);
}

/** `trackAi` leaves the OpenInference kind unset, which Bento reads as an LLM call. */
export function kindLabel(spanKind: string | null): string {
  return spanKind ? spanKind.toLowerCase() : "llm";
}

export function preview(text: unknown, max = 200): string | null {
  if (typeof text !== "string") return null;
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

const OTEL_KINDS = ["unspecified", "internal", "server", "client", "producer", "consumer"];

export const SPAN_COLUMNS = `trace_id, span_id, parent_span_id, name, otel_kind, span_kind, status_code, status_message,
  start_ns::text as start_ns, end_ns::text as end_ns, user_id, session_id, model, provider, input, output, tags,
  input_tokens::text as input_tokens, output_tokens::text as output_tokens, attributes, resource, scope, events,
  links, source`;

export function toSpan(r: Record<string, unknown>) {
  const start = String(r.start_ns);
  const end = String(r.end_ns);
  return {
    trace_id: r.trace_id as string,
    span_id: r.span_id as string,
    parent_span_id: (r.parent_span_id as string | null) ?? null,
    name: r.name as string,
    kind: kindLabel(r.span_kind as string | null),
    span_kind: (r.span_kind as string | null) ?? null,
    otel_kind: OTEL_KINDS[Number(r.otel_kind)] ?? "unspecified",
    status: r.status_code as string,
    status_message: (r.status_message as string | null) ?? null,
    start_time: nsToIso(start),
    end_time: nsToIso(end),
    start_unix_nano: start,
    end_unix_nano: end,
    duration_ms: durationMs(start, end),
    user_id: (r.user_id as string | null) ?? null,
    session_id: (r.session_id as string | null) ?? null,
    model: (r.model as string | null) ?? null,
    provider: (r.provider as string | null) ?? null,
    input: (r.input as string | null) ?? null,
    output: (r.output as string | null) ?? null,
    tags: (r.tags as string[] | null) ?? null,
    input_tokens: num(r.input_tokens),
    output_tokens: num(r.output_tokens),
    attributes: r.attributes as Record<string, unknown>,
    resource: r.resource as Record<string, unknown>,
    scope: r.scope as Record<string, unknown>,
    events: r.events as unknown[],
    links: r.links as unknown[],
    source: r.source as string,
  };
}
export type Span = ReturnType<typeof toSpan>;

export const TRACE_COLUMNS = `trace_id, root_span_id, name, start_ns::text as start_ns, end_ns::text as end_ns,
  span_count, models, input_tokens::text as input_tokens, output_tokens::text as output_tokens, status, user_id,
  session_id, input, output, source`;

export function toTrace(r: Record<string, unknown>) {
  const start = String(r.start_ns);
  const end = String(r.end_ns);
  return {
    trace_id: r.trace_id as string,
    name: r.name as string,
    root_span_id: (r.root_span_id as string | null) ?? null,
    start_time: nsToIso(start),
    end_time: nsToIso(end),
    start_unix_nano: start,
    duration_ms: durationMs(start, end),
    span_count: Number(r.span_count),
    models: (r.models as string[] | null) ?? [],
    input_tokens: num(r.input_tokens),
    output_tokens: num(r.output_tokens),
    total_tokens: total(r.input_tokens ?? null, r.output_tokens ?? null),
    status: r.status as "ok" | "error",
    user_id: (r.user_id as string | null) ?? null,
    session_id: (r.session_id as string | null) ?? null,
    source: r.source as string,
    input_preview: preview(r.input),
    output_preview: preview(r.output),
  };
}
export type TraceSummary = ReturnType<typeof toTrace>;
