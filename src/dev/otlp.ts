import { decodeId, decodeKeyValues, decodeNanos, isObject, type JsonValue, ShapeError } from "./otlp-values.js";
import { type SpanRow, splitColumns } from "./span-row.js";

export interface DecodedRequest {
  spans: SpanRow[];
  /** Per-span problems; those spans are rejected (OTLP partial success), the rest stored. */
  rejected: string[];
}

const STATUS: Record<string, SpanRow["status_code"]> = {
  "0": "unset",
  "1": "ok",
  "2": "error",
  STATUS_CODE_UNSET: "unset",
  STATUS_CODE_OK: "ok",
  STATUS_CODE_ERROR: "error",
};
const KINDS: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};

function list(v: unknown, path: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new ShapeError(`${path} is not an array`);
  return v;
}

function decodeStatus(v: unknown, path: string): Pick<SpanRow, "status_code" | "status_message"> {
  if (v === undefined || v === null) return { status_code: "unset", status_message: null };
  if (!isObject(v)) throw new ShapeError(`${path} is not an object`);
  const code = STATUS[String(v.code ?? 0)];
  if (!code) throw new ShapeError(`${path}.code is not a status code (0, 1 or 2)`);
  const message = typeof v.message === "string" && v.message !== "" ? v.message : null;
  return { status_code: code, status_message: message };
}

function decodeKind(v: unknown, path: string): number {
  if (v === undefined || v === null) return 0;
  const k = typeof v === "number" ? v : KINDS[String(v)];
  if (k === undefined || !Number.isInteger(k) || k < 0 || k > 5) throw new ShapeError(`${path} is not a span kind`);
  return k;
}

function decodeEvents(v: unknown, path: string): JsonValue[] {
  return list(v, path).map((e, i) => {
    if (!isObject(e)) throw new ShapeError(`${path}[${i}] is not an object`);
    return {
      name: typeof e.name === "string" ? e.name : "",
      time_unix_nano: e.timeUnixNano === undefined ? null : decodeNanos(e.timeUnixNano, `${path}[${i}].timeUnixNano`),
      attributes: decodeKeyValues(e.attributes, `${path}[${i}].attributes`),
    };
  });
}

function decodeLinks(v: unknown, path: string): JsonValue[] {
  return list(v, path).map((l, i) => {
    if (!isObject(l)) throw new ShapeError(`${path}[${i}] is not an object`);
    return {
      trace_id: decodeId(l.traceId, 16, `${path}[${i}].traceId`),
      span_id: decodeId(l.spanId, 8, `${path}[${i}].spanId`),
      attributes: decodeKeyValues(l.attributes, `${path}[${i}].attributes`),
    };
  });
}

function decodeSpan(s: unknown, path: string, resource: SpanRow["resource"], scope: SpanRow["scope"]): SpanRow {
  if (!isObject(s)) throw new ShapeError(`${path} is not an object`);
  if (s.name !== undefined && typeof s.name !== "string") throw new ShapeError(`${path}.name is not a string`);
  const parent = s.parentSpanId === undefined || s.parentSpanId === "" ? null : decodeId(s.parentSpanId, 8, `${path}.parentSpanId`);
  const start = decodeNanos(s.startTimeUnixNano, `${path}.startTimeUnixNano`);
  const end = s.endTimeUnixNano === undefined ? start : decodeNanos(s.endTimeUnixNano, `${path}.endTimeUnixNano`);
  return {
    trace_id: decodeId(s.traceId, 16, `${path}.traceId`),
    span_id: decodeId(s.spanId, 8, `${path}.spanId`),
    parent_span_id: parent,
    name: s.name ?? "",
    otel_kind: decodeKind(s.kind, `${path}.kind`),
    ...decodeStatus(s.status, `${path}.status`),
    start_ns: start,
    end_ns: BigInt(end) < BigInt(start) ? start : end,
    ...splitColumns(decodeKeyValues(s.attributes, `${path}.attributes`)),
    resource,
    scope,
    events: decodeEvents(s.events, `${path}.events`),
    links: decodeLinks(s.links, `${path}.links`),
  };
}

/**
 * Decode an OTLP/HTTP JSON `ExportTraceServiceRequest`. Structural problems (not an object,
 * `resourceSpans` not an array…) throw a `ShapeError`; a single malformed span is rejected and
 * reported in `rejected` while its siblings are kept.
 */
export function decodeTraceRequest(body: unknown): DecodedRequest {
  if (!isObject(body)) throw new ShapeError("the body is not a JSON object (expected an OTLP ExportTraceServiceRequest)");
  const spans: SpanRow[] = [];
  const rejected: string[] = [];
  list(body.resourceSpans, "resourceSpans").forEach((rs, i) => {
    const rsPath = `resourceSpans[${i}]`;
    if (!isObject(rs)) throw new ShapeError(`${rsPath} is not an object`);
    const resource = decodeKeyValues(isObject(rs.resource) ? rs.resource.attributes : undefined, `${rsPath}.resource.attributes`);
    list(rs.scopeSpans, `${rsPath}.scopeSpans`).forEach((ss, j) => {
      const ssPath = `${rsPath}.scopeSpans[${j}]`;
      if (!isObject(ss)) throw new ShapeError(`${ssPath} is not an object`);
      const sc = isObject(ss.scope) ? ss.scope : {};
      const scope: SpanRow["scope"] = {};
      if (typeof sc.name === "string") scope.name = sc.name;
      if (typeof sc.version === "string" && sc.version !== "") scope.version = sc.version;
      list(ss.spans, `${ssPath}.spans`).forEach((s, k) => {
        try {
          spans.push(decodeSpan(s, `${ssPath}.spans[${k}]`, resource, scope));
        } catch (err) {
          if (!(err instanceof ShapeError)) throw err;
          rejected.push(err.message);
        }
      });
    });
  });
  return { spans, rejected };
}
