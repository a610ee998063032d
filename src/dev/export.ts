import { COLUMN_KEYS } from "./span-row.js";
import type { Span } from "./store/rows.js";
import type { SpanNode } from "./tree.js";

const OTEL_KINDS = ["unspecified", "internal", "server", "client", "producer", "consumer"];
const STATUS_CODES: Record<string, number> = { unset: 0, ok: 1, error: 2 };

/** A JSON value as an OTLP JSON AnyValue (integers as decimal strings, as the OTel exporters send them). */
export function toAnyValue(v: unknown): Record<string, unknown> {
  if (typeof v === "string") return { stringValue: v };
  if (typeof v === "boolean") return { boolValue: v };
  if (typeof v === "number") return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(toAnyValue) } };
  if (v !== null && typeof v === "object") return { kvlistValue: { values: keyValues(v as Record<string, unknown>) } };
  return {};
}

function keyValues(obj: Record<string, unknown>): Array<{ key: string; value: Record<string, unknown> }> {
  return Object.entries(obj).map(([key, value]) => ({ key, value: toAnyValue(value) }));
}

/** The span's attributes as sent: the lifted dashboard columns put back under their keys. */
function allAttributes(s: Span): Record<string, unknown> {
  const cols: Record<string, unknown> = {
    [COLUMN_KEYS.user_id]: s.user_id,
    [COLUMN_KEYS.session_id]: s.session_id,
    [COLUMN_KEYS.model]: s.model,
    [COLUMN_KEYS.provider]: s.provider,
    [COLUMN_KEYS.input]: s.input,
    [COLUMN_KEYS.output]: s.output,
    [COLUMN_KEYS.span_kind]: s.span_kind,
    [COLUMN_KEYS.tags]: s.tags,
    [COLUMN_KEYS.input_tokens]: s.input_tokens,
    [COLUMN_KEYS.output_tokens]: s.output_tokens,
  };
  const out: Record<string, unknown> = { ...s.attributes };
  for (const [k, v] of Object.entries(cols)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

function toOtlpSpan(s: Span): Record<string, unknown> {
  const events = s.events as Array<{ name: string; time_unix_nano: string | null; attributes: Record<string, unknown> }>;
  const links = s.links as Array<{ trace_id: string; span_id: string; attributes: Record<string, unknown> }>;
  return {
    traceId: s.trace_id,
    spanId: s.span_id,
    ...(s.parent_span_id ? { parentSpanId: s.parent_span_id } : {}),
    name: s.name,
    kind: Math.max(0, OTEL_KINDS.indexOf(s.otel_kind)),
    startTimeUnixNano: s.start_unix_nano,
    endTimeUnixNano: s.end_unix_nano,
    attributes: keyValues(allAttributes(s)),
    events: events.map((e) => ({
      name: e.name,
      ...(e.time_unix_nano ? { timeUnixNano: e.time_unix_nano } : {}),
      attributes: keyValues(e.attributes),
    })),
    links: links.map((l) => ({ traceId: l.trace_id, spanId: l.span_id, attributes: keyValues(l.attributes) })),
    status: { code: STATUS_CODES[s.status] ?? 0, ...(s.status_message ? { message: s.status_message } : {}) },
  };
}

/**
 * A trace as an OTLP/HTTP JSON `ExportTraceServiceRequest`, grouped by resource and scope:
 * POSTing it to `/v1/traces` (here or on any OTLP backend) stores the same spans again.
 */
export function toOtlpRequest(spans: readonly Span[]): Record<string, unknown> {
  const groups = new Map<string, { resource: Record<string, unknown>; scope: Record<string, unknown>; spans: Span[] }>();
  for (const s of spans) {
    const key = JSON.stringify([s.resource, s.scope]);
    const g = groups.get(key) ?? { resource: s.resource, scope: s.scope, spans: [] };
    g.spans.push(s);
    groups.set(key, g);
  }
  return {
    resourceSpans: [...groups.values()].map((g) => ({
      resource: { attributes: keyValues(g.resource) },
      scopeSpans: [{ scope: g.scope, spans: g.spans.map(toOtlpSpan) }],
    })),
  };
}

/** One span per line (the read API's span objects), for grep, jq and notebooks. */
export function toJsonLines(spans: readonly unknown[]): string {
  return spans.map((s) => JSON.stringify(s)).join("\n") + (spans.length ? "\n" : "");
}

const clip = (text: string | null, max: number) => {
  if (!text) return null;
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}… (${flat.length} chars)` : flat;
};
const fmtMs = (ms: number) => (ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`);
const fmtUsd = (usd: number | null | undefined) => (usd === null || usd === undefined ? null : `$${usd.toFixed(usd < 0.01 ? 5 : 4)}`);

type CostedNode = SpanNode & { cost_usd?: number | null; children: CostedNode[] };

/**
 * A compact markdown outline of a run for pasting into an LLM chat: the header facts, then one
 * bullet per span (kind, duration, model, tokens, cost, errors) with clipped input and output.
 */
export function toMarkdownOutline(
  trace: {
    name: string;
    trace_id: string;
    status: string;
    start_time: string;
    duration_ms: number;
    span_count: number;
    total_tokens: number | null;
    cost_usd?: number | null;
    unpriced_spans?: number;
  },
  roots: readonly CostedNode[],
  opts: { clip?: number } = {},
): string {
  const max = opts.clip ?? 300;
  const cost =
    fmtUsd(trace.cost_usd) &&
    `${fmtUsd(trace.cost_usd)}${trace.unpriced_spans ? ` (+${trace.unpriced_spans} spans of unpriced models)` : ""}`;
  const lines = [
    `# Run "${trace.name}" (${trace.status})`,
    "",
    `trace ${trace.trace_id} · started ${trace.start_time} · ${fmtMs(trace.duration_ms)} · ${trace.span_count} spans` +
      (trace.total_tokens !== null ? ` · ${trace.total_tokens} tokens` : "") +
      (cost ? ` · ${cost}` : ""),
    "",
    "## Steps",
    "",
  ];
  const walk = (n: CostedNode, depth: number) => {
    const pad = "  ".repeat(depth);
    const facts = [
      fmtMs(n.duration_ms),
      n.model,
      n.input_tokens !== null || n.output_tokens !== null ? `${n.input_tokens ?? 0}→${n.output_tokens ?? 0} tokens` : null,
      fmtUsd(n.cost_usd),
    ];
    lines.push(
      `${pad}- **${n.name}** [${n.kind}] ${facts.filter(Boolean).join(" · ")}${n.status === "error" ? ` · ERROR${n.status_message ? `: ${n.status_message}` : ""}` : ""}`,
    );
    const input = clip(n.input, max);
    const output = clip(n.output, max);
    if (input) lines.push(`${pad}  - input: ${input}`);
    if (output) lines.push(`${pad}  - output: ${output}`);
    for (const c of n.children) walk(c, depth + 1);
  };
  for (const r of roots) walk(r, 0);
  return `${lines.join("\n")}\n`;
}
