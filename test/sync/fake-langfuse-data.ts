import { dataset, type RawRecord } from "./fixtures.js";

/**
 * The fake's data: the seven-trace fixture dataset (mutable per test) and the v1 → v2 row
 * transform the notes describe (raw-string IO, dot-flattened metadata, "" for absent strings,
 * decimal-string prices, trace_context/basic fields copied from the trace).
 */
export class FakeData {
  traces: RawRecord[];
  observations: Record<string, RawRecord[]>;
  scores: Record<string, RawRecord[]>;

  constructor() {
    const d = structuredClone(dataset());
    this.traces = d.traces;
    this.observations = d.observations;
    this.scores = d.scores;
  }

  trace(id: string): RawRecord | undefined {
    return this.traces.find((t) => t.id === id);
  }

  /** Patch a trace (e.g. its output arrives, `updatedAt` advances). */
  patchTrace(id: string, patch: RawRecord): void {
    Object.assign(this.trace(id)!, patch);
  }

  /**
   * Patch one observation of a trace (e.g. an open span gets its `endTime`). Like Langfuse, this
   * touches the observation only: the trace's own `updatedAt` stays where it was.
   */
  patchObservation(traceId: string, id: string, patch: RawRecord): void {
    Object.assign(this.observations[traceId]!.find((o) => o.id === id)!, patch);
  }

  /** A new trace (no observations yet). */
  addTrace(trace: RawRecord): void {
    this.traces.push(trace);
    this.observations[String(trace.id)] ??= [];
  }

  /** An observation arrives (e.g. a child exported before its root). */
  addObservation(traceId: string, observation: RawRecord): void {
    (this.observations[traceId] ??= []).push(observation);
  }

  addScore(traceId: string, score: RawRecord): void {
    (this.scores[traceId] ??= []).push(score);
  }

  /**
   * What Langfuse computes from the observations at read time for a trace's list item and detail:
   * latency (s, from min start to max start/end), total cost, observation ids.
   */
  computed(traceId: string): RawRecord {
    const obs = this.observations[traceId] ?? [];
    const times = obs.flatMap((o) => [Date.parse(String(o.startTime)), ...(o.endTime ? [Date.parse(String(o.endTime))] : [])]);
    const cost = obs.reduce((s, o) => s + (typeof o.calculatedTotalCost === "number" ? o.calculatedTotalCost : 0), 0);
    return {
      latency: times.length ? (Math.max(...times) - Math.min(...times)) / 1000 : 0,
      totalCost: Math.round(cost * 1e12) / 1e12,
      observations: obs.map((o) => o.id),
    };
  }

  /** All observations as v2 rows. */
  v2Rows(): RawRecord[] {
    const rows: RawRecord[] = [];
    for (const t of this.traces) for (const o of this.observations[String(t.id)] ?? []) rows.push(toV2Row(o, t));
    return rows;
  }
}

const blank = (v: unknown) => (v === null || v === undefined ? "" : v);
const price = (v: unknown) => (typeof v === "number" ? String(v) : null);
const raw = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

export function flatten(metadata: unknown, prefix = "", out: RawRecord = {}): RawRecord {
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) return out;
  for (const [k, v] of Object.entries(metadata)) {
    const key = prefix ? `${prefix}.${k}` : k;
    const nested = typeof v === "object" && v !== null && !Array.isArray(v);
    // OTel attribute maps hold dotted keys already: flatten exactly one level below them
    if (nested && (k === "resourceAttributes" || k === "attributes") && prefix === "") {
      for (const [ak, av] of Object.entries(v as RawRecord)) out[`${k}.${ak}`] = av;
    } else if (nested && Object.keys(v as RawRecord).length > 0) flatten(v, key, out);
    else if (!nested) out[key] = v;
  }
  return out;
}

function toV2Row(o: RawRecord, t: RawRecord): RawRecord {
  const usage = (o.usageDetails ?? {}) as Record<string, number>;
  const sum = (part: string) => Object.entries(usage).reduce((s, [k, v]) => (k.includes(part) ? s + v : s), 0);
  return {
    id: o.id,
    traceId: o.traceId,
    startTime: o.startTime,
    endTime: o.endTime ?? null,
    projectId: o.projectId,
    parentObservationId: o.parentObservationId ?? null,
    type: o.type,
    name: blank(o.name),
    level: o.level,
    statusMessage: blank(o.statusMessage),
    version: blank(o.version),
    environment: o.environment,
    bookmarked: t.bookmarked ?? false,
    public: t.public ?? false,
    userId: blank(t.userId),
    sessionId: blank(t.sessionId),
    isRootObservation: !o.parentObservationId,
    completionStartTime: o.completionStartTime ?? null,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    input: raw(o.input),
    output: raw(o.output),
    metadata: flatten(o.metadata),
    model: blank(o.model),
    internalModelId: blank(o.modelId),
    modelParameters: o.modelParameters ?? {},
    usageDetails: usage,
    costDetails: o.costDetails ?? {},
    inputUsage: sum("input"),
    outputUsage: sum("output"),
    totalUsage: usage.total ?? 0,
    inputCost: o.calculatedInputCost ?? null,
    outputCost: o.calculatedOutputCost ?? null,
    totalCost: o.calculatedTotalCost ?? 0,
    usagePricingTierId: o.usagePricingTierId ?? null,
    usagePricingTierName: o.usagePricingTierName ?? null,
    promptId: blank(o.promptId),
    promptName: blank(o.promptName),
    promptVersion: o.promptVersion ?? null,
    latency: o.latency ?? null,
    timeToFirstToken: o.timeToFirstToken ?? null,
    traceName: blank(t.name),
    release: blank(t.release),
    tags: t.tags ?? [],
    modelId: o.modelId ?? null,
    inputPrice: price(o.inputPrice),
    outputPrice: price(o.outputPrice),
    totalPrice: price(o.totalPrice),
  };
}

const V2_GROUPS: Record<string, string[]> = {
  core: ["id", "traceId", "startTime", "endTime", "projectId", "parentObservationId", "type"],
  basic: ["name", "level", "statusMessage", "version", "environment", "bookmarked", "public", "userId", "sessionId", "isRootObservation"],
  time: ["completionStartTime", "createdAt", "updatedAt"],
  io: ["input", "output"],
  metadata: ["metadata"],
  model: ["model", "internalModelId", "modelParameters"],
  usage: [
    "usageDetails",
    "costDetails",
    "totalCost",
    "usagePricingTierName",
    "inputUsage",
    "outputUsage",
    "totalUsage",
    "inputCost",
    "outputCost",
    "usagePricingTierId",
  ],
  prompt: ["promptId", "promptName", "promptVersion"],
  metrics: ["latency", "timeToFirstToken"],
  trace_context: ["traceName", "tags", "release"],
};

/** Keep only the requested field groups (default core,basic); a few keys are always present. */
export function selectV2Fields(row: RawRecord, fields: string | null): RawRecord {
  const groups = (fields ?? "core,basic")
    .split(",")
    .map((g) => g.trim())
    .filter((g) => g in V2_GROUPS);
  const keep = new Set([
    "latency",
    "timeToFirstToken",
    "modelId",
    "inputPrice",
    "outputPrice",
    "totalPrice",
    ...groups.flatMap((g) => V2_GROUPS[g]!),
  ]);
  const out: RawRecord = {};
  for (const [k, v] of Object.entries(row)) if (keep.has(k)) out[k] = v;
  if (!groups.includes("model")) Object.assign(out, { modelId: null, inputPrice: null, outputPrice: null, totalPrice: null });
  return out;
}

/** v1 `fields`: excluded groups come back as null / {} / [] / -1 like the real server. */
export function selectV1TraceFields(t: RawRecord, fields: string | null): RawRecord {
  const groups = new Set((fields ?? "core,io,scores,observations,metrics").split(",").map((g) => g.trim()));
  const out = { ...t };
  if (!groups.has("io")) Object.assign(out, { input: null, output: null, metadata: {} });
  if (!groups.has("observations")) out.observations = [];
  if (!groups.has("scores")) out.scores = [];
  if (!groups.has("metrics")) Object.assign(out, { totalCost: -1, latency: -1 });
  return out;
}
