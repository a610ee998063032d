import { describe, expect, it } from "vitest";
import * as bento from "../src/index.js";
import { TEST_KEY } from "./helpers/receiver.js";
import { useReceiver } from "./helpers/setup.js";

describe("SPEC §5 identity", () => {
  const { receiver, flush } = useReceiver({ portableAttributes: false });
  const reinit = (o: bento.InitOptions) => bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url, ...o });

  it("applies static values and getters evaluated on every span", async () => {
    let n = 0;
    reinit({ userId: () => `u${++n}`, sessionId: "s1", tags: ["a", "b"] });
    bento.trackAi({ event: "one" });
    bento.trackAi({ event: "two" });
    const r = await flush();
    expect(r.span("one").attributes).toEqual({ "gen_ai.user.id": "u1", "gen_ai.conversation.id": "s1", "langfuse.tags": ["a", "b"] });
    expect(r.span("two").attributes["gen_ai.user.id"]).toBe("u2");
  });

  it("keeps omitted sources on a partial init and clears them with null", async () => {
    reinit({ userId: "u", sessionId: "s" });
    reinit({ sessionId: null });
    bento.trackAi({ event: "x" });
    expect((await flush()).span("x").attributes).toEqual({ "gen_ai.user.id": "u" });
  });

  it("drops a field whose getter throws and keeps the rest", async () => {
    reinit({
      userId: () => {
        throw new Error("no user");
      },
      sessionId: () => "s",
    });
    expect(() => bento.trackAi({ event: "x" })).not.toThrow();
    expect((await flush()).span("x").attributes).toEqual({ "gen_ai.conversation.id": "s" });
  });

  it("scopes propagateAttributes to the async flow, with null clearing inside", async () => {
    reinit({ userId: "from-init", sessionId: "init-session" });
    await Promise.all([
      bento.propagateAttributes({ userId: "scoped-a" }, async () => {
        await new Promise((r) => setTimeout(r, 5));
        bento.trackAi({ event: "a" });
      }),
      bento.propagateAttributes({ userId: "scoped-b", sessionId: null }, async () => {
        bento.trackAi({ event: "b" });
      }),
    ]);
    bento.trackAi({ event: "outside" });
    const r = await flush();
    expect(r.span("a").attributes).toEqual({ "gen_ai.user.id": "scoped-a", "gen_ai.conversation.id": "init-session" });
    expect(r.span("b").attributes).toEqual({ "gen_ai.user.id": "scoped-b" });
    expect(r.span("outside").attributes["gen_ai.user.id"]).toBe("from-init");
  });

  it("follows the precedence explicit > updateCurrentTrace > propagateAttributes > init", async () => {
    reinit({ userId: "init", sessionId: "init-s" });
    await bento.propagateAttributes({ userId: "scope", sessionId: "scope-s" }, () =>
      bento.begin({ event: "root", convoId: "explicit-s" }, async () => {
        bento.updateCurrentTrace({ userId: "trace", sessionId: "trace-s", tags: ["t"], properties: { plan: "pro" } });
        bento.trackAi({ event: "child" });
      }),
    );
    const r = await flush();
    expect(r.span("root").attributes).toEqual({
      "gen_ai.user.id": "trace",
      "gen_ai.conversation.id": "explicit-s",
      "langfuse.tags": ["t"],
      plan: "pro",
    });
    // Children do not inherit from the trajectory: only the scope / getters apply to them.
    expect(r.span("child").attributes).toEqual({ "gen_ai.user.id": "scope", "gen_ai.conversation.id": "scope-s" });
  });

  it("clears a root field with updateCurrentTrace(null)", async () => {
    reinit({ userId: "init" });
    const t = bento.begin({ event: "root" });
    bento.updateCurrentTrace({ userId: null });
    t.finish();
    expect((await flush()).span("root").attributes).toEqual({});
  });

  it("treats updateCurrentTrace and updateCurrentSpan as no-ops outside a trajectory", async () => {
    expect(() => bento.updateCurrentTrace({ userId: "x" })).not.toThrow();
    expect(() => bento.updateCurrentSpan({ properties: { a: 1 } })).not.toThrow();
    bento.trackAi({ event: "x" });
    expect((await flush()).span("x").attributes).toEqual({});
  });

  it("writes updateCurrentSpan to the innermost open span", async () => {
    await bento.begin({ event: "root" }, () => bento.toolSpan("tool", {}, () => bento.updateCurrentSpan({ properties: { hits: 3 } })));
    const r = await flush();
    expect(r.span("tool").attributes.hits).toBe(3);
    expect(r.span("root").attributes).not.toHaveProperty("hits");
  });

  it("exposes convoId on the interaction", () => {
    reinit({ sessionId: "from-getter" });
    const a = bento.begin({ event: "a", convoId: "explicit" });
    const b = bento.begin({ event: "b" });
    expect(a.convoId).toBe("explicit");
    expect(b.convoId).toBe("from-getter");
    b.finish();
    a.finish();
  });
});
