import type { LfObservation } from "../langfuse/wire.js";
import type { ImportedSpan, JsonObject } from "../types.js";
import { ioAttributes } from "./io.js";
import { deriveProvider } from "./provider.js";

type Attrs = ImportedSpan["attributes"];

/** Langfuse observation type → `openinference.span.kind`, lowercase as this project stores kinds. */
const KIND: Record<string, string> = {
  GENERATION: "llm",
  EMBEDDING: "embedding",
  TOOL: "tool",
  AGENT: "agent",
  CHAIN: "chain",
  RETRIEVER: "retriever",
  EVALUATOR: "evaluator",
  GUARDRAIL: "guardrail",
  SPAN: "chain",
  EVENT: "chain",
};
const OPERATION: Record<string, string> = { GENERATION: "chat", EMBEDDING: "embeddings", TOOL: "execute_tool", AGENT: "invoke_agent" };
const REQUEST_PARAMS = ["temperature", "max_tokens", "top_p", "top_k", "frequency_penalty", "presence_penalty", "seed"];

const sumWhere = (d: Record<string, number>, part: string) => Object.entries(d).reduce((s, [k, v]) => (k.includes(part) ? s + v : s), 0);
const hasKey = (d: Record<string, number>, part: string) => Object.keys(d).some((k) => k.includes(part));

export function spanKindOf(o: LfObservation): string {
  const attrs = o.metadata.attributes as JsonObject | undefined;
  const explicit = attrs?.["openinference.span.kind"];
  if (typeof explicit === "string" && explicit.trim()) return explicit.trim().toLowerCase();
  return KIND[o.type] ?? "chain";
}

function modelAttributes(o: LfObservation, attrs: JsonObject | undefined): Attrs {
  const out: Attrs = {};
  const provider = deriveProvider(o.model, attrs);
  if (provider) Object.assign(out, { "gen_ai.system": provider, "gen_ai.provider.name": provider, "llm.provider": provider });
  if (o.model) {
    out["gen_ai.request.model"] = o.model;
    out[o.type === "EMBEDDING" ? "embedding.model_name" : "llm.model_name"] = o.model;
  }
  const params = o.modelParameters;
  if (params && Object.keys(params).length > 0) {
    for (const key of REQUEST_PARAMS) {
      const v = params[key];
      const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
      if (typeof n === "number" && Number.isFinite(n)) out[`gen_ai.request.${key}`] = n;
    }
    out["llm.invocation_parameters"] = JSON.stringify(params);
  }
  return out;
}

function usageAttributes(o: LfObservation): Attrs {
  const out: Attrs = {};
  const u = o.usageDetails;
  if (Object.keys(u).length > 0) {
    const input = sumWhere(u, "input");
    const output = sumWhere(u, "output");
    Object.assign(out, {
      "gen_ai.usage.input_tokens": input,
      "gen_ai.usage.output_tokens": output,
      "llm.token_count.prompt": input,
      "llm.token_count.completion": output,
    });
    if (u.total !== undefined) out["llm.token_count.total"] = u.total;
    const cacheRead = u.input_cached_tokens ?? u.cache_read_input_tokens ?? u.input_cache_read;
    if (cacheRead !== undefined)
      Object.assign(out, { "gen_ai.usage.cache_read.input_tokens": cacheRead, "llm.token_count.prompt_details.cache_read": cacheRead });
    const cacheWrite = u.input_cache_creation ?? u.cache_creation_input_tokens;
    if (cacheWrite !== undefined)
      Object.assign(out, {
        "gen_ai.usage.cache_creation.input_tokens": cacheWrite,
        "llm.token_count.prompt_details.cache_write": cacheWrite,
      });
  }
  const c = o.costDetails;
  if (Object.keys(c).length > 0) {
    const total = c.total ?? o.calculatedTotalCost;
    if (total !== null && total !== undefined) out["llm.cost.total"] = total;
    if (hasKey(c, "input")) out["llm.cost.prompt"] = o.calculatedInputCost ?? sumWhere(c, "input");
    if (hasKey(c, "output")) out["llm.cost.completion"] = o.calculatedOutputCost ?? sumWhere(c, "output");
  }
  return out;
}

/** The flat attributes of one observation (identity and trace-level keys are added by the trace mapper). */
export function observationAttributes(o: LfObservation): Attrs {
  const attrs = o.metadata.attributes as JsonObject | undefined;
  const out: Attrs = { "openinference.span.kind": spanKindOf(o) };
  const op = OPERATION[o.type];
  if (op) out["gen_ai.operation.name"] = op;
  Object.assign(out, modelAttributes(o, attrs));
  const name = o.name ?? o.type.toLowerCase();
  if (o.type === "TOOL") {
    Object.assign(out, { "gen_ai.tool.name": name, "tool.name": name });
    const callId = o.metadata.tool_call_id;
    if (typeof callId === "string" && callId) out["gen_ai.tool.call.id"] = callId;
  }
  if (o.type === "AGENT") Object.assign(out, { "gen_ai.agent.name": name, "agent.name": name });
  Object.assign(out, ioAttributes("input", o.input), ioAttributes("output", o.output));
  Object.assign(out, usageAttributes(o));
  return out;
}

/** Everything else about the observation, lossless, for the span's attributes JSON. */
export function observationJson(o: LfObservation): JsonObject {
  const { resourceAttributes: _r, scope, ...metadata } = o.metadata;
  const prompt = o.promptId ? { id: o.promptId, name: o.promptName, version: o.promptVersion } : null;
  return dropEmpty({
    "langfuse.observation.id": o.id,
    "langfuse.observation.type": o.type,
    "langfuse.observation.level": o.level,
    "langfuse.observation.status_message": o.statusMessage,
    "langfuse.observation.version": o.version,
    "langfuse.environment": o.environment,
    "langfuse.observation.completion_start_time": o.completionStartTime,
    "langfuse.observation.time_to_first_token": o.timeToFirstToken,
    "langfuse.observation.latency": o.latency,
    "langfuse.observation.model_parameters": o.modelParameters,
    "langfuse.observation.internal_model_id": o.modelId,
    "langfuse.observation.usage_details": o.usageDetails,
    "langfuse.observation.cost_details": o.costDetails,
    "langfuse.observation.prompt": prompt,
    "langfuse.observation.metadata": metadata,
    "langfuse.instrumentation_scope": scope ?? null,
    "langfuse.observation.created_at": o.createdAt,
    "langfuse.observation.updated_at": o.updatedAt,
  });
}

/** Drop `null`, `undefined`, `""`, `[]` and `{}` values (the notes' "drop null/empty values"). */
export function dropEmpty(record: Record<string, unknown>): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(record)) {
    if (v === null || v === undefined || v === "") continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0) continue;
    out[k] = v as JsonObject[string];
  }
  return out;
}
