import { describe, expect, it } from "vitest";
import * as bento from "../src/index.js";
import { valueTypes } from "./helpers/receiver.js";
import { useReceiver } from "./helpers/setup.js";

describe("SPEC §2 attribute mapping over the wire", () => {
  const { flush } = useReceiver({ portableAttributes: false });

  it("emits exactly the seven table keys for the spec example", async () => {
    const id = bento.trackAi({
      event: "answer",
      userId: "user_42",
      convoId: "chat_99",
      model: "gpt-4o",
      provider: "openai",
      input: "What is 2+2?",
      output: "4",
      properties: { experiment_id: 17 },
    });
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    const r = await flush();
    const span = r.span("answer");
    expect(span.spanId).toBe(id);
    expect(span.attributes).toEqual({
      "gen_ai.user.id": "user_42",
      "gen_ai.conversation.id": "chat_99",
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.system": "openai",
      "input.value": "What is 2+2?",
      "output.value": "4",
      experiment_id: 17,
    });
    expect(valueTypes(r.rawAttributes.get(id))).toMatchObject({ experiment_id: "intValue" });
  });

  it("omits options that are not passed", async () => {
    bento.trackAi({ event: "bare" });
    const r = await flush();
    expect(r.span("bare").attributes).toEqual({});
  });

  it("leaves openinference.span.kind unset on trackAi and sets tool on tool spans", async () => {
    bento.trackAi({ event: "llm" });
    bento.toolSpan("search").end();
    await bento.toolSpan("fetch", {}, async () => "ok");
    const r = await flush();
    expect(r.span("llm").attributes).not.toHaveProperty("openinference.span.kind");
    expect(r.span("search").attributes["openinference.span.kind"]).toBe("tool");
    expect(r.span("fetch").attributes["openinference.span.kind"]).toBe("tool");
  });

  it("lets a user set other kinds through properties", async () => {
    bento.trackAi({ event: "retrieve", properties: { "openinference.span.kind": "retriever" } });
    expect((await flush()).span("retrieve").attributes["openinference.span.kind"]).toBe("retriever");
  });

  it("keeps property types: int, double, bool, homogeneous arrays, JSON fallback, null omitted", async () => {
    const id = bento.trackAi({
      event: "types",
      properties: {
        i: 3,
        d: 2.5,
        b: true,
        s: "x",
        strs: ["a", "b"],
        nums: [1, 2.5],
        bools: [true, false],
        mixed: [1, "a"],
        obj: { a: 1, nested: [1, 2] },
        nul: null,
        undef: undefined,
        neg: -7,
      },
    });
    const r = await flush();
    const a = r.span("types").attributes;
    expect(a).toEqual({
      i: 3,
      d: 2.5,
      b: true,
      s: "x",
      strs: ["a", "b"],
      nums: [1, 2.5],
      bools: [true, false],
      mixed: '[1,"a"]',
      obj: '{"a":1,"nested":[1,2]}',
      neg: -7,
    });
    expect(valueTypes(r.rawAttributes.get(id))).toMatchObject({
      i: "intValue",
      d: "doubleValue",
      b: "boolValue",
      neg: "intValue",
      strs: "arrayValue",
    });
  });

  it("writes options after properties so the option wins", async () => {
    bento.trackAi({
      event: "override",
      model: "gpt-4o",
      input: "real",
      properties: { "gen_ai.request.model": "fake", "input.value": "fake", "gen_ai.system": "kept", custom: 1 },
    });
    const a = (await flush()).span("override").attributes;
    expect(a["gen_ai.request.model"]).toBe("gpt-4o");
    expect(a["input.value"]).toBe("real");
    expect(a["gen_ai.system"]).toBe("kept");
  });

  it("overwrites a kind property on tool spans with tool", async () => {
    bento.toolSpan("t", { properties: { "openinference.span.kind": "agent" } }).end();
    expect((await flush()).span("t").attributes["openinference.span.kind"]).toBe("tool");
  });

  it("serializes object input/output as JSON and passes strings through unchanged", async () => {
    bento.trackAi({ event: "io", input: [{ role: "user", content: "hi" }], output: { text: "yo", n: 1 } });
    bento.trackAi({ event: "str", input: '{"already":"json"}', output: "  spaced  " });
    const r = await flush();
    expect(r.span("io").attributes["input.value"]).toBe('[{"role":"user","content":"hi"}]');
    expect(r.span("io").attributes["output.value"]).toBe('{"text":"yo","n":1}');
    expect(r.span("str").attributes["input.value"]).toBe('{"already":"json"}');
    expect(r.span("str").attributes["output.value"]).toBe("  spaced  ");
  });

  it("writes token usage as ints", async () => {
    const id = bento.trackAi({ event: "usage", usage: { inputTokens: 12, outputTokens: 30.7 } });
    const r = await flush();
    expect(r.span("usage").attributes).toEqual({ "gen_ai.usage.input_tokens": 12, "gen_ai.usage.output_tokens": 30 });
    expect(valueTypes(r.rawAttributes.get(id))).toEqual({
      "gen_ai.usage.input_tokens": "intValue",
      "gen_ai.usage.output_tokens": "intValue",
    });
  });

  it("maps begin options and interaction updates", async () => {
    const t = bento.begin({ event: "run", userId: "u", convoId: "c", model: "claude-3-5-sonnet", provider: "anthropic", input: "q" });
    t.update({ properties: { step: 1, a: "x" } });
    t.update({ properties: { step: 2 }, output: "partial" });
    t.finish({ output: "final", properties: { done: true } });
    t.finish({ output: "ignored" });
    const a = (await flush()).span("run").attributes;
    expect(a).toEqual({
      "gen_ai.user.id": "u",
      "gen_ai.conversation.id": "c",
      "gen_ai.request.model": "claude-3-5-sonnet",
      "gen_ai.system": "anthropic",
      "input.value": "q",
      "output.value": "final",
      step: 2,
      a: "x",
      done: true,
    });
  });
});

describe("portable attributes", () => {
  const { flush } = useReceiver();

  it("adds OpenInference / Langfuse twins by default", async () => {
    bento.trackAi({
      event: "p",
      userId: "u",
      convoId: "c",
      model: "m",
      provider: "openai",
      input: { q: 1 },
      output: "o",
      usage: { inputTokens: 2, outputTokens: 3 },
    });
    const a = (await flush()).span("p").attributes;
    expect(a).toMatchObject({
      "user.id": "u",
      "session.id": "c",
      "llm.model_name": "m",
      "llm.provider": "openai",
      "input.mime_type": "application/json",
      "output.mime_type": "text/plain",
      "llm.token_count.prompt": 2,
      "llm.token_count.completion": 3,
      "llm.token_count.total": 5,
      "gen_ai.user.id": "u",
      "gen_ai.request.model": "m",
    });
  });
});
