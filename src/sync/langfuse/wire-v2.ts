import type { JsonObject, JsonValue } from "../types.js";
import { fromV1Observation, type LfObservation, type LfTrace, num, str } from "./wire.js";

type Raw = Record<string, unknown>;

/** v2 IO is the SDK-serialized string: JSON objects/arrays parse, a JSON string unwraps to text. */
export function parseRawIo(v: unknown): JsonValue | undefined {
  if (v === null || v === undefined || v === "") return undefined;
  if (typeof v !== "string") return v as JsonValue;
  try {
    const parsed = JSON.parse(v) as JsonValue;
    if (typeof parsed === "string" || (typeof parsed === "object" && parsed !== null)) return parsed;
  } catch {
    // plain text that is not JSON
  }
  return v;
}

const NESTED = ["resourceAttributes", "attributes"] as const;

/** Undo v2's dot-flattening for the keys the mapping reads (`resourceAttributes.*`, `scope.*`, `attributes.*`). */
export function unflattenMetadata(flat: unknown): JsonObject {
  const out: JsonObject = {};
  if (typeof flat !== "object" || flat === null || Array.isArray(flat)) return out;
  for (const [key, value] of Object.entries(flat as Record<string, JsonValue>)) {
    const prefix = NESTED.find((p) => key.startsWith(`${p}.`));
    if (prefix) {
      const group = (out[prefix] ??= {}) as JsonObject;
      group[key.slice(prefix.length + 1)] = value;
    } else if (key.startsWith("scope.")) {
      const scope = (out.scope ??= { name: null, version: null, attributes: {} }) as JsonObject;
      const rest = key.slice(6);
      if (rest.startsWith("attributes.")) (scope.attributes as JsonObject)[rest.slice(11)] = value;
      else scope[rest] = value;
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** A v2 row as a normalized observation. */
export function fromV2Observation(r: Raw): LfObservation {
  const o = fromV1Observation({ ...r, parentObservationId: str(r.parentObservationId) });
  return {
    ...o,
    input: parseRawIo(r.input),
    output: parseRawIo(r.output),
    metadata: unflattenMetadata(r.metadata),
    calculatedInputCost: num(r.inputCost),
    calculatedOutputCost: num(r.outputCost),
    calculatedTotalCost: num(r.totalCost),
  };
}

/**
 * v2 has no trace object: rebuild what it can from the rows (trace_context + basic groups) and the
 * root observation's IO. Fields v2 cannot know (trace metadata, createdAt, scores) stay empty.
 */
export function traceFromV2Rows(traceId: string, rows: Raw[], obs: LfObservation[]): LfTrace {
  const root = obs.find((o) => o.parentObservationId === null);
  const rootRaw = rows.find((r) => r.id === root?.id) ?? rows[0] ?? {};
  const first = (k: string) => rows.map((r) => str(r[k])).find((v) => v !== null) ?? null;
  const starts = obs.map((o) => o.startTime).sort();
  const updated = obs.map((o) => o.updatedAt ?? "").sort();
  return {
    id: traceId,
    projectId: first("projectId"),
    name: str(rootRaw.traceName) ?? first("traceName") ?? root?.name ?? null,
    timestamp: root?.startTime ?? starts[0] ?? new Date(0).toISOString(),
    environment: first("environment"),
    tags: Array.isArray(rootRaw.tags) ? (rootRaw.tags as unknown[]).filter((t): t is string => typeof t === "string") : [],
    release: first("release"),
    version: root?.version ?? null,
    userId: first("userId"),
    sessionId: first("sessionId"),
    public: typeof rootRaw.public === "boolean" ? rootRaw.public : null,
    bookmarked: typeof rootRaw.bookmarked === "boolean" ? rootRaw.bookmarked : null,
    input: root?.input,
    output: root?.output,
    metadata: {},
    createdAt: null,
    updatedAt: updated[updated.length - 1] || null,
    totalCost: obs.reduce((s, o) => s + (o.calculatedTotalCost ?? 0), 0),
    latency: null,
    htmlPath: first("projectId") ? `/project/${first("projectId")}/traces/${traceId}` : null,
    observationIds: obs.map((o) => o.id),
    scores: [],
  };
}
