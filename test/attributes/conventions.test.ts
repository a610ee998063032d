import { describe, expect, it } from "vitest";
import { conventionColumns, identityColumns, spanColumns } from "../../src/attributes/conventions.js";
import { DEFAULT_MAP_SETTINGS } from "../../src/attributes/map.js";
import { splitColumns } from "../../src/dev/span-row.js";

type Row = [description: string, attributes: Record<string, unknown>, added: Record<string, unknown>];

// One row per source key of SPEC.md §5a, then the rules (absent only, first source wins, types).
const ROWS: Row[] = [
  ["OpenInference llm.model_name fills the model", { "llm.model_name": "gpt-4o" }, { "gen_ai.request.model": "gpt-4o" }],
  [
    "GenAI gen_ai.response.model fills the model",
    { "gen_ai.response.model": "gpt-4o-2024-08-06" },
    { "gen_ai.request.model": "gpt-4o-2024-08-06" },
  ],
  ["OpenInference llm.provider fills the provider", { "llm.provider": "openai" }, { "gen_ai.system": "openai" }],
  ["OpenInference llm.system fills the provider", { "llm.system": "anthropic" }, { "gen_ai.system": "anthropic" }],
  [
    "GenAI gen_ai.provider.name (new key) fills the provider in Bento's spelling",
    { "gen_ai.provider.name": "aws.bedrock" },
    { "gen_ai.system": "aws_bedrock" },
  ],
  ["OpenInference's provider spellings become Bento's", { "llm.provider": "azure" }, { "gen_ai.system": "azure_openai" }],
  ["OpenInference prompt tokens fill input tokens", { "llm.token_count.prompt": 12 }, { "gen_ai.usage.input_tokens": 12 }],
  ["OpenInference completion tokens fill output tokens", { "llm.token_count.completion": 7 }, { "gen_ai.usage.output_tokens": 7 }],
  ["old GenAI prompt_tokens fills input tokens", { "gen_ai.usage.prompt_tokens": 5 }, { "gen_ai.usage.input_tokens": 5 }],
  ["old GenAI completion_tokens fills output tokens", { "gen_ai.usage.completion_tokens": 3 }, { "gen_ai.usage.output_tokens": 3 }],
  [
    "token counts become integers",
    { "llm.token_count.prompt": 12.9, "llm.token_count.completion": "4" },
    { "gen_ai.usage.input_tokens": 12, "gen_ai.usage.output_tokens": 4 },
  ],
  ["OpenInference user.id fills the user", { "user.id": "u_1" }, { "gen_ai.user.id": "u_1" }],
  ["OpenInference session.id fills the session", { "session.id": "s_1" }, { "gen_ai.conversation.id": "s_1" }],
  ["OpenInference tag.tags fills the tags", { "tag.tags": ["a", "b"] }, { "langfuse.tags": ["a", "b"] }],
  ["tags sent as a JSON string are read as a list", { "tag.tags": '["a","b"]' }, { "langfuse.tags": ["a", "b"] }],
  [
    "a present Bento key is kept",
    { "llm.model_name": "x", "gen_ai.request.model": "mine", "llm.provider": "openai", "gen_ai.system": "azure_openai" },
    {},
  ],
  ["the first source wins", { "llm.model_name": "a", "gen_ai.response.model": "b" }, { "gen_ai.request.model": "a" }],
  [
    "empty, non-finite and wrongly typed values add nothing",
    { "llm.model_name": "", "llm.token_count.prompt": Number.NaN, "user.id": true, "tag.tags": [1, 2] },
    {},
  ],
  ["a span with no known convention gets nothing", { "http.method": "GET" }, {}],
];

describe("conventionColumns", () => {
  it.each(ROWS)("%s", (_description, attributes, added) => {
    expect(conventionColumns(attributes)).toEqual(added);
  });

  it("never returns a key the span already has, so merging removes nothing", () => {
    const attributes = { "llm.model_name": "gpt-4o", "llm.provider": "openai", "user.id": "u", "gen_ai.user.id": "own" };
    const out = conventionColumns(attributes);
    for (const key of Object.keys(out)) expect(attributes).not.toHaveProperty(key);
    expect({ ...attributes, ...out }).toMatchObject(attributes);
  });
});

describe("spanColumns", () => {
  it("maps an OpenInference LLM span to every Bento column it carries", () => {
    const attributes = {
      "openinference.span.kind": "LLM",
      "llm.model_name": "gpt-4o-mini",
      "llm.provider": "openai",
      "llm.system": "openai",
      "llm.token_count.prompt": 4,
      "llm.token_count.completion": 5,
    };
    expect(spanColumns("OpenAI Chat Completions", attributes, DEFAULT_MAP_SETTINGS)).toEqual({
      "gen_ai.request.model": "gpt-4o-mini",
      "gen_ai.system": "openai",
      "gen_ai.usage.input_tokens": 4,
      "gen_ai.usage.output_tokens": 5,
    });
  });

  it("applies the Vercel AI SDK mapping first, then the generic rows over its result", () => {
    const attributes = {
      "ai.operationId": "ai.generateText.doGenerate",
      "ai.model.provider": "openai.chat",
      "gen_ai.system": "openai.chat",
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.usage.input_tokens": 3,
      "gen_ai.usage.output_tokens": 2,
      "ai.prompt.messages": "[]",
    };
    const out = spanColumns("ai.generateText.doGenerate", attributes, DEFAULT_MAP_SETTINGS);
    expect(out).toMatchObject({
      "gen_ai.system": "openai",
      "openinference.span.kind": "llm",
      "llm.model_name": "gpt-4o",
      "llm.token_count.prompt": 3,
    });
    expect(out).not.toHaveProperty("gen_ai.request.model");
  });

  it("does not turn the AI SDK's outer call span into a second LLM call", () => {
    const out = spanColumns(
      "ai.generateText",
      { "ai.operationId": "ai.generateText", "ai.usage.promptTokens": 3, "ai.model.id": "gpt-4o" },
      DEFAULT_MAP_SETTINGS,
    );
    expect(out).not.toHaveProperty("gen_ai.usage.input_tokens");
    expect(out).not.toHaveProperty("gen_ai.request.model");
  });

  it("returns nothing rather than throwing for unreadable attributes", () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error("hostile");
        },
      },
    );
    expect(spanColumns("x", hostile, DEFAULT_MAP_SETTINGS)).toEqual({});
  });
});

describe("identityColumns", () => {
  it("fills the identity keys the span lacks, with their portable twins", () => {
    expect(identityColumns({ userId: "u", convoId: "c", tags: ["t"] }, {}, true)).toEqual({
      "gen_ai.user.id": "u",
      "user.id": "u",
      "gen_ai.conversation.id": "c",
      "session.id": "c",
      "langfuse.tags": ["t"],
      "tag.tags": ["t"],
    });
  });

  it("never overwrites a key the span set itself", () => {
    expect(identityColumns({ userId: "u", convoId: "c" }, { "gen_ai.user.id": "own", "session.id": "own-s" }, true)).toEqual({
      "gen_ai.conversation.id": "c",
    });
  });

  it("writes only Bento's keys without portable attributes", () => {
    expect(identityColumns({ userId: "u" }, {}, false)).toEqual({ "gen_ai.user.id": "u" });
  });
});

describe("the dev server's columns", () => {
  it("reads model, provider, user, session, tags and tokens of an OpenInference span, keeping its own keys", () => {
    const row = splitColumns({
      "llm.model_name": "gpt-4o",
      "llm.provider": "openai",
      "llm.token_count.prompt": 4,
      "llm.token_count.completion": 5,
      "user.id": "u",
      "session.id": "s",
      "tag.tags": ["t"],
    });
    expect(row).toMatchObject({
      model: "gpt-4o",
      provider: "openai",
      input_tokens: 4,
      output_tokens: 5,
      user_id: "u",
      session_id: "s",
      tags: ["t"],
    });
    expect(row.attributes).toMatchObject({ "llm.model_name": "gpt-4o", "llm.provider": "openai" });
  });

  it("prefers Bento's own keys when both are present", () => {
    expect(splitColumns({ "gen_ai.request.model": "mine", "llm.model_name": "other" }).model).toBe("mine");
  });
});
