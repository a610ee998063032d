import type { LfObservation, LfTrace } from "../langfuse/wire.js";
import type { ImportedSpan, JsonObject } from "../types.js";
import { syntheticRootId, toSpanId, toTraceId } from "./ids.js";
import { ioAttributes } from "./io.js";
import { dropEmpty, observationAttributes, observationJson } from "./observation.js";
import { metadataProperties, scoreProperties, withProperties } from "./properties.js";

export interface MapContext {
  /** Langfuse base URL (no trailing slash), for `langfuse.trace.url`. */
  baseUrl: string;
}

const CLIENT_TYPES = new Set(["GENERATION", "EMBEDDING"]);

function identity(t: LfTrace): ImportedSpan["attributes"] {
  const out: ImportedSpan["attributes"] = {};
  if (t.userId) Object.assign(out, { "gen_ai.user.id": t.userId, "user.id": t.userId });
  if (t.sessionId) Object.assign(out, { "gen_ai.conversation.id": t.sessionId, "session.id": t.sessionId });
  return out;
}

function traceJson(t: LfTrace, ctx: MapContext): JsonObject {
  return dropEmpty({
    "langfuse.project.id": t.projectId,
    "langfuse.trace.name": t.name,
    "langfuse.trace.tags": t.tags,
    "langfuse.trace.release": t.release,
    "langfuse.trace.version": t.version,
    "langfuse.trace.public": t.public,
    "langfuse.trace.bookmarked": t.bookmarked,
    "langfuse.trace.url": t.htmlPath ? `${ctx.baseUrl}${t.htmlPath}` : null,
    "langfuse.trace.timestamp": t.timestamp,
    "langfuse.trace.created_at": t.createdAt,
    "langfuse.trace.updated_at": t.updatedAt,
    "langfuse.trace.metadata": t.metadata,
    "langfuse.trace.total_cost": t.totalCost,
    "langfuse.trace.latency": t.latency,
    "langfuse.scores": t.scores,
  });
}

const resourceOf = (metadata: JsonObject): JsonObject => {
  const r = metadata.resourceAttributes;
  return typeof r === "object" && r !== null && !Array.isArray(r) ? { ...r } : {};
};

/**
 * One Langfuse trace and its observations → spans. Exactly one parentless observation becomes the
 * root and carries the trace-level data; otherwise a root is synthesized (name, start and IO from
 * the trace) and the parentless observations hang under it. Pure: same input, same output.
 */
export function mapTrace(trace: LfTrace, observations: readonly LfObservation[], ctx: MapContext): ImportedSpan[] {
  const traceId = toTraceId(trace.id);
  const ids = new Set(observations.map((o) => o.id));
  // orphans (parent not synced yet) are treated as parentless until a later run re-links them
  const parentless = observations.filter((o) => o.parentObservationId === null || !ids.has(o.parentObservationId));
  const root = parentless.length === 1 ? parentless[0] : undefined;
  const synthetic = root ? undefined : syntheticRootId(trace.id);
  const tags = trace.tags.length > 0 ? { "langfuse.tags": trace.tags } : {};

  const spans = observations.map((o): ImportedSpan => {
    const isRoot = o === root;
    const parent =
      o.parentObservationId && ids.has(o.parentObservationId) ? toSpanId(o.parentObservationId) : isRoot ? null : (synthetic ?? null);
    const attributes = { ...observationAttributes(o), ...identity(trace) };
    if (isRoot) {
      if (o.input === undefined) Object.assign(attributes, ioAttributes("input", trace.input));
      if (o.output === undefined) Object.assign(attributes, ioAttributes("output", trace.output));
      Object.assign(attributes, tags);
    }
    const json = { ...observationJson(o), "langfuse.trace.id": trace.id, ...(isRoot ? traceJson(trace, ctx) : {}) };
    // the trajectory (root) also gets the trace's metadata (its own wins per key) and the scores
    const properties = isRoot
      ? { ...metadataProperties(trace.metadata, o.metadata), ...scoreProperties(trace.scores) }
      : metadataProperties(o.metadata);
    return {
      trace_id: traceId,
      span_id: toSpanId(o.id),
      parent_span_id: parent,
      name: o.name ?? o.type.toLowerCase(),
      kind: CLIENT_TYPES.has(o.type) ? "CLIENT" : "INTERNAL",
      start_time: o.startTime,
      end_time: o.endTime,
      status: o.level === "ERROR" ? { code: "ERROR", message: o.statusMessage } : { code: "UNSET", message: null },
      attributes: withProperties(attributes, json, properties),
      attributes_json: json,
      resource: resourceOf(o.metadata),
    };
  });
  if (synthetic) spans.unshift(syntheticRoot(trace, observations, traceId, synthetic, ctx, tags));
  return spans;
}

function syntheticRoot(
  t: LfTrace,
  obs: readonly LfObservation[],
  traceId: string,
  spanId: string,
  ctx: MapContext,
  tags: object,
): ImportedSpan {
  const ends = obs.map((o) => o.endTime ?? o.startTime).sort();
  const attributes = {
    "openinference.span.kind": "chain",
    ...identity(t),
    ...ioAttributes("input", t.input),
    ...ioAttributes("output", t.output),
    ...tags,
  };
  const json = {
    ...dropEmpty({ "langfuse.environment": t.environment, "langfuse.trace.id": t.id }),
    ...traceJson(t, ctx),
    "langfuse.synthetic_root": true,
  };
  return {
    trace_id: traceId,
    span_id: spanId,
    parent_span_id: null,
    name: t.name ?? "trace",
    kind: "INTERNAL",
    start_time: t.timestamp,
    end_time: ends[ends.length - 1] ?? t.timestamp,
    status: { code: "UNSET", message: null },
    attributes: withProperties(attributes, json, { ...metadataProperties(t.metadata), ...scoreProperties(t.scores) }),
    attributes_json: json,
    resource: resourceOf(t.metadata),
  };
}
