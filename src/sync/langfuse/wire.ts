import type { JsonObject, JsonValue } from "../types.js";

/**
 * Lenient, normalized views of Langfuse's wire objects. Both read APIs are turned into these
 * (v1 is nearly 1:1; v2 needs `""`→null, raw-string IO parsed, metadata un-flattened, string
 * prices). Unknown keys are ignored; missing optional keys are tolerated.
 */
export interface LfObservation {
  id: string;
  traceId: string;
  parentObservationId: string | null;
  type: string;
  name: string | null;
  startTime: string;
  endTime: string | null;
  completionStartTime: string | null;
  model: string | null;
  modelParameters: JsonObject | null;
  input: JsonValue | undefined;
  output: JsonValue | undefined;
  metadata: JsonObject;
  level: string;
  statusMessage: string | null;
  version: string | null;
  environment: string | null;
  promptId: string | null;
  promptName: string | null;
  promptVersion: number | null;
  usageDetails: Record<string, number>;
  costDetails: Record<string, number>;
  calculatedInputCost: number | null;
  calculatedOutputCost: number | null;
  calculatedTotalCost: number | null;
  modelId: string | null;
  latency: number | null;
  timeToFirstToken: number | null;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface LfTrace {
  id: string;
  projectId: string | null;
  name: string | null;
  timestamp: string;
  environment: string | null;
  tags: string[];
  release: string | null;
  version: string | null;
  userId: string | null;
  sessionId: string | null;
  public: boolean | null;
  bookmarked: boolean | null;
  input: JsonValue | undefined;
  output: JsonValue | undefined;
  metadata: JsonObject;
  createdAt: string | null;
  updatedAt: string | null;
  totalCost: number | null;
  latency: number | null;
  htmlPath: string | null;
  /** Observation ids as listed by v1 (a cheap change signal). */
  observationIds: string[];
  scores: JsonValue[];
}

type Raw = Record<string, unknown>;

export const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
export const num = (v: unknown): number | null => {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : null;
};
const obj = (v: unknown): JsonObject | null => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as JsonObject) : null);
const numbers = (v: unknown): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const [k, x] of Object.entries(obj(v) ?? {})) {
    const n = num(x);
    if (n !== null) out[k] = n;
  }
  return out;
};

/** A v1 observation (trace detail or `GET /observations`). */
export function fromV1Observation(r: Raw): LfObservation {
  return {
    id: String(r.id),
    traceId: String(r.traceId ?? ""),
    parentObservationId: str(r.parentObservationId),
    type: String(r.type ?? "SPAN").toUpperCase(),
    name: str(r.name),
    startTime: String(r.startTime),
    endTime: str(r.endTime),
    completionStartTime: str(r.completionStartTime),
    model: str(r.model) ?? str(r.providedModelName),
    modelParameters: obj(r.modelParameters),
    input: r.input === null ? undefined : (r.input as JsonValue | undefined),
    output: r.output === null ? undefined : (r.output as JsonValue | undefined),
    metadata: obj(r.metadata) ?? {},
    level: str(r.level) ?? "DEFAULT",
    statusMessage: str(r.statusMessage),
    version: str(r.version),
    environment: str(r.environment),
    promptId: str(r.promptId),
    promptName: str(r.promptName),
    promptVersion: num(r.promptVersion),
    usageDetails: numbers(r.usageDetails),
    costDetails: numbers(r.costDetails),
    calculatedInputCost: num(r.calculatedInputCost ?? r.inputCost),
    calculatedOutputCost: num(r.calculatedOutputCost ?? r.outputCost),
    calculatedTotalCost: num(r.calculatedTotalCost ?? r.totalCost),
    modelId: str(r.modelId) ?? str(r.internalModelId),
    latency: num(r.latency),
    timeToFirstToken: num(r.timeToFirstToken),
    createdAt: str(r.createdAt),
    updatedAt: str(r.updatedAt),
  };
}

/** A v1 trace list item or trace detail (`observations` are ids in lists, objects in detail). */
export function fromV1Trace(r: Raw): LfTrace {
  const observations = Array.isArray(r.observations) ? r.observations : [];
  return {
    id: String(r.id),
    projectId: str(r.projectId),
    name: str(r.name),
    timestamp: String(r.timestamp),
    environment: str(r.environment),
    tags: Array.isArray(r.tags) ? r.tags.filter((t): t is string => typeof t === "string") : [],
    release: str(r.release),
    version: str(r.version),
    userId: str(r.userId),
    sessionId: str(r.sessionId),
    public: typeof r.public === "boolean" ? r.public : null,
    bookmarked: typeof r.bookmarked === "boolean" ? r.bookmarked : null,
    input: r.input === null ? undefined : (r.input as JsonValue | undefined),
    output: r.output === null ? undefined : (r.output as JsonValue | undefined),
    metadata: obj(r.metadata) ?? {},
    createdAt: str(r.createdAt),
    updatedAt: str(r.updatedAt),
    totalCost: num(r.totalCost),
    latency: num(r.latency),
    htmlPath: str(r.htmlPath),
    observationIds: observations.map((o) => (typeof o === "string" ? o : String((o as Raw).id))),
    scores: Array.isArray(r.scores) ? (r.scores.filter((s) => typeof s === "object" && s !== null) as JsonValue[]) : [],
  };
}
