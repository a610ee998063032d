import { BasicTracerProvider, type Span } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { aiSdkAttributes, aiSdkOperation, bentoProvider } from "../../src/attributes/ai-sdk.js";
import { DEFAULT_MAP_SETTINGS } from "../../src/attributes/map.js";
import { DEFAULT_VALUE_LIMITS } from "../../src/attributes/values.js";
import { enrichOnEnd } from "../../src/otel/columns.js";

const settings = DEFAULT_MAP_SETTINGS;

describe("aiSdkAttributes", () => {
  it("adds nothing to operations it does not know", () => {
    expect(aiSdkAttributes("ai.generateImage", { "ai.prompt": "a cat" }, settings)).toEqual({});
  });

  it("never overwrites a kind, input or output the span already has", () => {
    const out = aiSdkAttributes(
      "ai.toolCall",
      { "openinference.span.kind": "retriever", "input.value": "mine", "ai.toolCall.args": "{}", "ai.toolCall.result": "done" },
      settings,
    );
    expect(out).toEqual({ "output.value": "done", "output.mime_type": "text/plain" });
  });

  it("keeps a gen_ai.system that is not the AI SDK's provider id", () => {
    const attrs = { "ai.model.provider": "openai.chat", "gen_ai.system": "azure_openai", "ai.prompt.messages": "[]" };
    expect(aiSdkAttributes("ai.generateText.doGenerate", attrs, settings)["gen_ai.system"]).toBeUndefined();
  });

  it("caps a huge prompt at the input limit and records the original length", () => {
    const prompt = JSON.stringify({ prompt: "x".repeat(DEFAULT_VALUE_LIMITS.maxIoLength + 10) });
    const out = aiSdkAttributes("ai.generateText", { "ai.prompt": prompt }, settings);
    expect(String(out["input.value"]).length).toBeLessThanOrEqual(DEFAULT_VALUE_LIMITS.maxIoLength + 40);
    expect(out["input.value.original_length"]).toBe(prompt.length);
  });

  it("decodes embedding inputs: one value as itself, many as a JSON array", () => {
    expect(aiSdkAttributes("ai.embed", { "ai.value": '"hello"' }, settings)["input.value"]).toBe("hello");
    expect(aiSdkAttributes("ai.embedMany.doEmbed", { "ai.values": ['"a"', '{"b":1}'] }, settings)["input.value"]).toBe('["a",{"b":1}]');
  });
});

describe("bentoProvider", () => {
  it("spells the AI SDK's provider ids the way SPEC.md §2 does", () => {
    expect(
      [
        "openai.chat",
        "openai.responses",
        "anthropic.messages",
        "google.generative-ai",
        "google.vertex.chat",
        "amazon-bedrock",
        "azure-openai.chat",
        "mistral.chat",
      ].map(bentoProvider),
    ).toEqual(["openai", "openai", "anthropic", "google", "google", "aws_bedrock", "azure_openai", "mistral"]);
  });
});

describe("aiSdkOperation", () => {
  it("recognizes AI SDK spans by name and operation id only", () => {
    expect(aiSdkOperation("ai.generateText", { attributes: { "ai.operationId": "ai.generateText" } })).toBe("ai.generateText");
    expect(aiSdkOperation("ai.generateText", {})).toBeUndefined();
    expect(aiSdkOperation("db.query", { attributes: { "ai.operationId": "ai.generateText" } })).toBeUndefined();
    expect(aiSdkOperation("ai.custom", { attributes: { "ai.operationId": "ai.custom" } })).toBeUndefined();
  });
});

describe("enrichOnEnd", () => {
  it("ends the span even when its attributes cannot be read", () => {
    const span = new BasicTracerProvider().getTracer("t").startSpan("ai.toolCall") as Span;
    enrichOnEnd(span, undefined, () => settings);
    Object.defineProperty(span, "attributes", {
      get: () => {
        throw new Error("hostile");
      },
    });
    expect(() => span.end()).not.toThrow();
    expect(span.ended).toBe(true);
  });
});
