import { canonicalProvider } from "../../attributes/provider.js";
import type { JsonObject } from "../types.js";

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
