import { SemanticConventions as OI } from "@arizeai/openinference-semantic-conventions";
import * as otel from "@opentelemetry/semantic-conventions/incubating";
import { describe, expect, it } from "vitest";
import * as K from "../src/semconv.js";

// The SDK pins its keys by hand (Bento's wire contract must not move when upstream conventions
// rename things, e.g. gen_ai.system → gen_ai.provider.name). These checks catch typos against the
// conventions the keys come from.
describe("attribute keys", () => {
  it("match the OpenTelemetry GenAI semantic conventions", () => {
    expect(K.GEN_AI_REQUEST_MODEL).toBe(otel.ATTR_GEN_AI_REQUEST_MODEL);
    expect(K.GEN_AI_SYSTEM).toBe(otel.ATTR_GEN_AI_SYSTEM);
    expect(K.GEN_AI_CONVERSATION_ID).toBe(otel.ATTR_GEN_AI_CONVERSATION_ID);
    expect(K.GEN_AI_USAGE_INPUT_TOKENS).toBe(otel.ATTR_GEN_AI_USAGE_INPUT_TOKENS);
    expect(K.GEN_AI_USAGE_OUTPUT_TOKENS).toBe(otel.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS);
  });

  it("match the OpenInference semantic conventions", () => {
    expect([K.INPUT_VALUE, K.OUTPUT_VALUE, K.INPUT_MIME_TYPE, K.OUTPUT_MIME_TYPE, K.OPENINFERENCE_SPAN_KIND]).toEqual([
      OI.INPUT_VALUE,
      OI.OUTPUT_VALUE,
      OI.INPUT_MIME_TYPE,
      OI.OUTPUT_MIME_TYPE,
      OI.OPENINFERENCE_SPAN_KIND,
    ]);
    expect([K.USER_ID, K.SESSION_ID, K.TAG_TAGS, K.LLM_MODEL_NAME, K.LLM_PROVIDER]).toEqual([
      OI.USER_ID,
      OI.SESSION_ID,
      OI.TAG_TAGS,
      OI.LLM_MODEL_NAME,
      OI.LLM_PROVIDER,
    ]);
    expect([K.LLM_TOKEN_COUNT_PROMPT, K.LLM_TOKEN_COUNT_COMPLETION, K.LLM_TOKEN_COUNT_TOTAL]).toEqual([
      OI.LLM_TOKEN_COUNT_PROMPT,
      OI.LLM_TOKEN_COUNT_COMPLETION,
      OI.LLM_TOKEN_COUNT_TOTAL,
    ]);
    expect([
      K.LLM_TOKEN_COUNT_PROMPT_CACHE_READ,
      K.LLM_TOKEN_COUNT_PROMPT_AUDIO,
      K.LLM_TOKEN_COUNT_COMPLETION_REASONING,
      K.LLM_TOKEN_COUNT_COMPLETION_AUDIO,
    ]).toEqual([
      OI.LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_READ,
      OI.LLM_TOKEN_COUNT_PROMPT_DETAILS_AUDIO,
      OI.LLM_TOKEN_COUNT_COMPLETION_DETAILS_REASONING,
      OI.LLM_TOKEN_COUNT_COMPLETION_DETAILS_AUDIO,
    ]);
  });

  it("uses the lowercase span kind Bento requires", () => {
    expect(K.KIND_TOOL).toBe("tool");
  });
});
