// SPEC.md §5a: identity and columns on every span Bento exports, not only the spans its own
// builders make; updateCurrentSpan / updateCurrentTrace / init() edge cases.

import { trace } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import * as bento from "../../src/index.js";
import { resetLogState } from "../../src/log.js";
import { TEST_KEY } from "../helpers/receiver.js";
import { useReceiver } from "../helpers/setup.js";

const { receiver, flush } = useReceiver({ portableAttributes: false });
const reinit = (o: bento.InitOptions) => bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url, ...o });
const lib = () => bento.getTracerProvider().getTracer("some-instrumentation");

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe("identity on instrumentation spans (through Bento's tracer provider)", () => {
  it("applies init getters, evaluated when the span starts", async () => {
    let n = 0;
    reinit({ userId: () => `u${++n}`, sessionId: "s1", tags: ["beta"] });
    const span = lib().startSpan("tool.call");
    span.end();
    expect((await flush()).span("tool.call").attributes).toEqual({
      "gen_ai.user.id": "u1",
      "gen_ai.conversation.id": "s1",
      "langfuse.tags": ["beta"],
    });
  });

  it("applies a propagateAttributes scope even when the span ends after the scope", async () => {
    reinit({ userId: "from-init" });
    const span = bento.propagateAttributes({ userId: "scoped", sessionId: "chat-7" }, () => lib().startSpan("started-in-scope"));
    span.end();
    expect((await flush()).span("started-in-scope").attributes).toEqual({ "gen_ai.user.id": "scoped", "gen_ai.conversation.id": "chat-7" });
  });

  it("applies updateCurrentTrace values, even when made after the span started, above the scope", async () => {
    reinit({ userId: "init", sessionId: "init-s" });
    await bento.propagateAttributes({ userId: "scope" }, () =>
      bento.begin({ event: "run", userId: "explicit-on-root" }, async () => {
        const span = lib().startSpan("llm");
        bento.updateCurrentTrace({ sessionId: "trace-s", tags: ["t"] });
        span.end();
      }),
    );
    const r = await flush();
    // updateCurrentTrace > propagateAttributes > init; the root's explicit userId is not inherited.
    expect(r.span("llm").attributes).toEqual({ "gen_ai.user.id": "scope", "gen_ai.conversation.id": "trace-s", "langfuse.tags": ["t"] });
    expect(r.span("llm").parentSpanId).toBe(r.span("run").spanId);
  });

  it("clears a field that updateCurrentTrace set to null", async () => {
    reinit({ userId: "init" });
    await bento.begin({ event: "run" }, async () => {
      bento.updateCurrentTrace({ userId: null });
      lib().startSpan("llm").end();
    });
    expect((await flush()).span("llm").attributes).toEqual({});
  });

  it("never overwrites a key the span set itself, under any convention", async () => {
    reinit({ userId: "init", sessionId: "init-s" });
    const span = lib().startSpan("llm", { attributes: { "gen_ai.user.id": "own-user" } });
    span.setAttribute("session.id", "own-session"); // OpenInference's key, set mid-span
    span.end();
    expect((await flush()).span("llm").attributes).toEqual({
      "gen_ai.user.id": "own-user",
      "session.id": "own-session",
      "gen_ai.conversation.id": "own-session",
    });
  });

  it("maps another convention's model and provider onto Bento's columns", async () => {
    lib()
      .startSpan("llm", {
        attributes: { "gen_ai.response.model": "gpt-4o-2024-08-06", "gen_ai.provider.name": "gcp.gemini", "gen_ai.usage.prompt_tokens": 3 },
      })
      .end();
    expect((await flush()).span("llm").attributes).toMatchObject({
      "gen_ai.request.model": "gpt-4o-2024-08-06",
      "gen_ai.system": "google",
      "gen_ai.usage.input_tokens": 3,
    });
  });
});

describe("identity on spans through BentoLabsSpanProcessor", () => {
  let provider: BasicTracerProvider;
  const memory = new InMemorySpanExporter();
  beforeAll(() => {
    provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(memory), new bento.BentoLabsSpanProcessor({ apiKey: TEST_KEY, baseUrl: receiver.url })],
    });
  });

  it("tags the app's spans with init getters and scopes, on Bento's copy only", async () => {
    reinit({ userId: "init-user", sessionId: "init-s" });
    const app = provider.getTracer("app");
    bento.propagateAttributes({ userId: "scoped" }, () => app.startSpan("db.query").end());
    app.startSpan("cache.get", { attributes: { "user.id": "own" } }).end();
    await provider.forceFlush();
    // The processor writes the portable twins too (its own setting, not init()'s).
    expect(receiver.span("db.query").attributes).toEqual({
      "gen_ai.user.id": "scoped",
      "user.id": "scoped",
      "gen_ai.conversation.id": "init-s",
      "session.id": "init-s",
    });
    expect(receiver.span("cache.get").attributes).toEqual({
      "user.id": "own",
      "gen_ai.user.id": "own",
      "gen_ai.conversation.id": "init-s",
      "session.id": "init-s",
    });
    expect(memory.getFinishedSpans().map((s) => s.attributes)).toEqual([{}, { "user.id": "own" }]);
  });
});

describe("updateCurrentSpan and updateCurrentTrace", () => {
  it("writes updateCurrentSpan to an instrumentation's active span inside a trajectory", async () => {
    await bento.begin({ event: "run" }, () =>
      lib().startActiveSpan("ai.toolCall", (span) => {
        bento.updateCurrentSpan({ properties: { hits: 3 } });
        span.end();
      }),
    );
    const r = await flush();
    expect(r.span("ai.toolCall").attributes.hits).toBe(3);
    expect(r.span("run").attributes).not.toHaveProperty("hits");
  });

  it("writes to a Bento span opened inside the instrumentation's span, and to that span again after", async () => {
    await bento.begin({ event: "run" }, () =>
      lib().startActiveSpan("outer", async (span) => {
        await bento.toolSpan("inner", {}, () => bento.updateCurrentSpan({ properties: { where: "inner" } }));
        bento.updateCurrentSpan({ properties: { where: "outer" } });
        span.end();
      }),
    );
    const r = await flush();
    expect(r.span("inner").attributes.where).toBe("inner");
    expect(r.span("outer").attributes.where).toBe("outer");
  });

  it("is a no-op for updateCurrentTrace inside a bare tool span (no trajectory)", async () => {
    await bento.toolSpan("lookup", {}, () => bento.updateCurrentTrace({ userId: "x", properties: { plan: "pro" } }));
    expect((await flush()).span("lookup").attributes).toEqual({ "openinference.span.kind": "tool" });
  });
});

describe("init() that throws", () => {
  it("changes nothing: the identity getters stay as they were", async () => {
    reinit({ userId: "kept" });
    expect(() => bento.init({ apiKey: "bl_pk_other", baseUrl: receiver.url, userId: "replaced" })).toThrow(
      expect.objectContaining({ code: "already_initialized" }),
    );
    expect(() => bento.init({ apiKey: TEST_KEY, baseUrl: "http://203.0.113.9", userId: "replaced" })).toThrow(
      expect.objectContaining({ code: "insecure_base_url" }),
    );
    bento.trackAi({ event: "after" });
    expect((await flush()).span("after").attributes).toEqual({ "gen_ai.user.id": "kept" });
  });
});

describe("sessionId on begin / trackAi", () => {
  it("warns once, naming convoId, instead of silently ignoring it", async () => {
    resetLogState();
    vi.stubEnv("BENTOLABS_LOG_LEVEL", "warn");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    bento.trackAi({ event: "a", sessionId: "s" } as bento.TrackAiOptions);
    bento.trackAi({ event: "b", sessionId: "s" } as bento.TrackAiOptions);
    bento.begin({ event: "c", sessionId: "s" } as bento.BeginOptions).finish();
    const messages = warn.mock.calls.map((c) => String(c[0]));
    expect(messages.filter((m) => m.includes("trackAi") && m.includes("convoId"))).toHaveLength(1);
    expect(messages.filter((m) => m.includes("begin") && m.includes("convoId"))).toHaveLength(1);
    expect((await flush()).span("a").attributes).toEqual({});
  });
});

// Keep the OTel global clean for the next file (the processor test registers nothing globally).
afterEach(() => trace.disable());
