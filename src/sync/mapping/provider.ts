import type { JsonObject } from "../types.js";

/**
 * Provider values in this project's convention (SPEC §2 `gen_ai.system`): openai, anthropic,
 * google, aws_bedrock, azure_openai, cohere, mistral, … The notes' OTel-semconv spellings
 * (aws.bedrock, gcp.gemini, gcp.vertex_ai, mistral_ai, x_ai) are translated here.
 */
const CANONICAL: Record<string, string> = {
  "aws.bedrock": "aws_bedrock",
  bedrock: "aws_bedrock",
  aws: "aws_bedrock",
  "gcp.gemini": "google",
  "gcp.vertex_ai": "google",
  "gcp.gen_ai": "google",
  vertex_ai: "google",
  vertexai: "google",
  gemini: "google",
  "google-genai": "google",
  mistral_ai: "mistral",
  mistralai: "mistral",
  "azure.ai.openai": "azure_openai",
  azure: "azure_openai",
  azure_openai: "azure_openai",
  x_ai: "xai",
  "az.ai.inference": "azure_ai_inference",
};

export function canonicalProvider(value: string): string {
  const v = value.trim().toLowerCase();
  return CANONICAL[v] ?? v;
}

const ATTRIBUTE_KEYS = ["gen_ai.provider.name", "gen_ai.system", "llm.provider", "llm.system"];
const PREFIXES = ["openai", "anthropic", "google", "azure", "mistral", "cohere", "bedrock", "vertex_ai", "groq", "deepseek"];

function fromModelName(model: string): string | undefined {
  const m = model.toLowerCase();
  if (/^([a-z]{2,4}\.)?(anthropic|amazon|meta|cohere|mistral|ai21)\.[a-z0-9]/.test(m)) return "aws_bedrock";
  if (m.includes("@")) return "google";
  if (/^(gpt-|o1|o3|o4|text-embedding-|dall-e|whisper|chatgpt-)/.test(m)) return "openai";
  if (m.startsWith("claude-")) return "anthropic";
  if (/^(gemini-|gemma-)/.test(m)) return "google";
  if (/^(mistral-|mixtral-|codestral|ministral|pixtral)/.test(m)) return "mistral";
  if (/^(command|embed-english|embed-multilingual)/.test(m)) return "cohere";
  if (m.includes("deepseek")) return "deepseek";
  if (m.startsWith("grok")) return "xai";
  return undefined;
}

/**
 * Who served the model, never guessed from anything but evidence, in priority order: explicit
 * OTel/OpenInference attributes (ignoring framework names like "langchain"), a Vercel AI SDK
 * `ai.model.provider`, a `provider/model` prefix, then well-known model-name patterns.
 */
export function deriveProvider(model: string | null, attributes: JsonObject | undefined): string | undefined {
  for (const key of ATTRIBUTE_KEYS) {
    const v = attributes?.[key];
    if (typeof v === "string" && v.trim() && v.toLowerCase() !== "langchain") return canonicalProvider(v);
  }
  const vercel = attributes?.["ai.model.provider"];
  if (typeof vercel === "string" && vercel.trim()) return canonicalProvider(vercel.split(".")[0] ?? vercel);
  if (!model) return undefined;
  const slash = model.indexOf("/");
  if (slash > 0) {
    const prefix = model.slice(0, slash).toLowerCase();
    if (PREFIXES.includes(prefix)) return canonicalProvider(prefix);
  }
  return fromModelName(model);
}
