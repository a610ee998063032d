import { describe, expect, it } from "vitest";
import * as bento from "../../src/index.js";
import type { Receiver } from "../helpers/receiver.js";
import { useReceiver } from "../helpers/setup.js";

/** One trajectory with a tool span and an LLM call, every table option set, inside a tags scope. */
async function emit(): Promise<void> {
  await bento.propagateAttributes({ tags: ["beta"] }, () =>
    bento.begin({ event: "agent", userId: "u1", convoId: "c1", model: "gpt-4o", provider: "openai", input: "hi" }, async (t) => {
      await t.toolSpan("search", { input: { q: "hi" } }, (span) => span.setOutput("found"));
      bento.trackAi({
        event: "answer",
        userId: "u1",
        convoId: "c1",
        model: "gpt-4o",
        provider: "openai",
        input: [{ role: "user", content: "hi" }],
        output: "hello",
        properties: { experiment_id: 17 },
      });
      t.finish({ output: { text: "hello" } });
    }),
  );
}

const TABLE_AGENT = {
  "gen_ai.user.id": "u1",
  "gen_ai.conversation.id": "c1",
  "gen_ai.request.model": "gpt-4o",
  "gen_ai.system": "openai",
  "input.value": "hi",
  "output.value": '{"text":"hello"}',
  "langfuse.tags": ["beta"],
};
const TABLE_SEARCH = { "openinference.span.kind": "tool", "input.value": '{"q":"hi"}', "output.value": "found", "langfuse.tags": ["beta"] };
const TABLE_ANSWER = {
  "gen_ai.user.id": "u1",
  "gen_ai.conversation.id": "c1",
  "gen_ai.request.model": "gpt-4o",
  "gen_ai.system": "openai",
  "input.value": '[{"role":"user","content":"hi"}]',
  "output.value": "hello",
  "langfuse.tags": ["beta"],
  experiment_id: 17,
};

function attrs(r: Receiver, name: string): Record<string, unknown> {
  return r.span(name).attributes;
}

describe("portable attributes on (the default)", () => {
  const { flush } = useReceiver();

  it("writes the SPEC §2 table plus OpenInference / Langfuse twins on begin, toolSpan and trackAi", async () => {
    await emit();
    const r = await flush();
    expect(attrs(r, "agent")).toEqual({
      ...TABLE_AGENT,
      "user.id": "u1",
      "session.id": "c1",
      "llm.model_name": "gpt-4o",
      "llm.provider": "openai",
      "input.mime_type": "text/plain",
      "output.mime_type": "application/json",
      "tag.tags": ["beta"],
    });
    expect(attrs(r, "search")).toEqual({
      ...TABLE_SEARCH,
      "input.mime_type": "application/json",
      "output.mime_type": "text/plain",
      "tag.tags": ["beta"],
    });
    expect(attrs(r, "answer")).toEqual({
      ...TABLE_ANSWER,
      "user.id": "u1",
      "session.id": "c1",
      "llm.model_name": "gpt-4o",
      "llm.provider": "openai",
      "input.mime_type": "application/json",
      "output.mime_type": "text/plain",
      "tag.tags": ["beta"],
    });
  });

  it("adds OpenInference token counts next to the GenAI usage keys", async () => {
    bento.trackAi({ event: "usage", usage: { inputTokens: 10, outputTokens: 5 } });
    expect(attrs(await flush(), "usage")).toEqual({
      "gen_ai.usage.input_tokens": 10,
      "gen_ai.usage.output_tokens": 5,
      "llm.token_count.prompt": 10,
      "llm.token_count.completion": 5,
      "llm.token_count.total": 15,
    });
  });

  it("keeps the lowercase span kinds Bento requires", async () => {
    bento.trackAi({ event: "retrieve", properties: { "openinference.span.kind": "retriever" } });
    await bento.toolSpan("tool", {}, () => undefined);
    const r = await flush();
    expect(attrs(r, "retrieve")["openinference.span.kind"]).toBe("retriever");
    expect(attrs(r, "tool")["openinference.span.kind"]).toBe("tool");
    expect(attrs(r, "retrieve")).not.toHaveProperty("llm.provider");
  });
});

describe("portable attributes off: init({ portableAttributes: false })", () => {
  const { flush } = useReceiver({ portableAttributes: false });

  it("emits exactly the SPEC §2 table and nothing else on begin, toolSpan and trackAi", async () => {
    await emit();
    const r = await flush();
    expect(attrs(r, "agent")).toEqual(TABLE_AGENT);
    expect(attrs(r, "search")).toEqual(TABLE_SEARCH);
    expect(attrs(r, "answer")).toEqual(TABLE_ANSWER);
  });

  it("writes usage only as the GenAI keys", async () => {
    bento.trackAi({ event: "usage", usage: { inputTokens: 10, outputTokens: 5 } });
    expect(attrs(await flush(), "usage")).toEqual({ "gen_ai.usage.input_tokens": 10, "gen_ai.usage.output_tokens": 5 });
  });
});
