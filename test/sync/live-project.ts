import type { FakeData } from "./fake-langfuse-data.js";
import type { RawRecord } from "./fixtures.js";

/**
 * Builders for a Langfuse project that is still being written to, in the shapes the fake's seed
 * data uses (v1 list items and observations). They follow Langfuse's ingestion behaviour:
 * OpenTelemetry exports children before their root, the trace's timestamp is that of the first
 * observation ingested and never moves, and observation updates leave the trace row alone.
 */
const PROJECT = "cmb7x2k9d0004ad07q3hfz1lm";
const iso = (ms: number) => new Date(ms).toISOString();

export function trace(id: string, name: string, at: number, extra: RawRecord = {}): RawRecord {
  return {
    id,
    projectId: PROJECT,
    name,
    timestamp: iso(at),
    environment: "production",
    tags: [],
    bookmarked: false,
    release: null,
    version: null,
    userId: "user_live",
    sessionId: "sess_live",
    public: false,
    input: null,
    output: null,
    metadata: {},
    createdAt: iso(at + 1000),
    updatedAt: iso(at + 1000),
    observations: [],
    scores: [],
    totalCost: 0,
    latency: 0,
    htmlPath: `/project/${PROJECT}/traces/${id}`,
    externalId: null,
    ...extra,
  };
}

export function observation(
  traceId: string,
  id: string,
  o: { parent: string | null; name: string; type?: string; start: number; end: number | null; output?: unknown; metadata?: RawRecord },
): RawRecord {
  return {
    id,
    traceId,
    startTime: iso(o.start),
    endTime: o.end === null ? null : iso(o.end),
    projectId: PROJECT,
    parentObservationId: o.parent,
    type: o.type ?? "SPAN",
    environment: "production",
    name: o.name,
    level: "DEFAULT",
    statusMessage: null,
    version: null,
    createdAt: iso((o.end ?? o.start) + 500),
    updatedAt: iso((o.end ?? o.start) + 500),
    input: { step: o.name },
    output: o.output ?? null,
    metadata: o.metadata ?? {},
    model: null,
    modelParameters: null,
    completionStartTime: null,
    promptId: null,
    promptName: null,
    promptVersion: null,
    latency: o.end === null ? null : (o.end - o.start) / 1000,
    timeToFirstToken: null,
    usageDetails: {},
    costDetails: {},
    usagePricingTierId: null,
    usagePricingTierName: null,
    modelId: null,
    inputPrice: null,
    outputPrice: null,
    totalPrice: null,
    calculatedInputCost: null,
    calculatedOutputCost: null,
    calculatedTotalCost: 0,
  };
}

export function score(
  traceId: string,
  id: string,
  s: { name: string; dataType: string; value: number; stringValue?: string | null; at: number },
): RawRecord {
  return {
    id,
    projectId: PROJECT,
    environment: "production",
    name: s.name,
    value: s.value,
    source: "API",
    authorUserId: null,
    comment: null,
    metadata: {},
    configId: null,
    queueId: null,
    executionTraceId: null,
    createdAt: iso(s.at),
    updatedAt: iso(s.at),
    timestamp: iso(s.at),
    traceId,
    observationId: null,
    stringValue: s.stringValue ?? null,
    dataType: s.dataType,
  };
}

/** An agent run whose children were exported first: the trace exists, its root does not yet. */
export function childrenBeforeRoot(data: FakeData, traceId: string, rootId: string, at: number): () => void {
  const children = [
    observation(traceId, "c0ffee0000000001", { parent: rootId, name: "plan", type: "GENERATION", start: at + 200, end: at + 1200 }),
    observation(traceId, "c0ffee0000000002", { parent: rootId, name: "search", type: "TOOL", start: at + 1300, end: at + 1900 }),
  ];
  data.addTrace(trace(traceId, "late-root-run", at + 200));
  for (const c of children) data.addObservation(traceId, c);
  // the root span ends last and is exported last; the trace row gets its name, IO and a new updatedAt
  return () => {
    data.addObservation(
      traceId,
      observation(traceId, rootId, {
        parent: null,
        name: "late-root-run",
        type: "AGENT",
        start: at,
        end: at + 2000,
        output: { answer: "done" },
      }),
    );
    data.patchTrace(traceId, { input: { step: "late-root-run" }, output: { answer: "done" }, updatedAt: iso(at + 2600) });
  };
}
