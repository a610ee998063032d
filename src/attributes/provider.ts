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
  // Vercel AI SDK provider ids (their first segment: "amazon-bedrock", "azure-openai.chat", …)
  "amazon-bedrock": "aws_bedrock",
  "azure-openai": "azure_openai",
  "google-vertex": "google",
  vertex: "google",
};

/** `value` in Bento's spelling (lowercased; unknown values pass through). */
export function canonicalProvider(value: string): string {
  const v = value.trim().toLowerCase();
  return CANONICAL[v] ?? v;
}
