import { beforeAll, describe, expect, it } from "vitest";
import * as bento from "../../src/index.js";
import type { ReceivedSpan } from "../helpers/receiver.js";
import { useReceiver } from "../helpers/setup.js";
import { compileFixture, type DecoratorMode } from "./compile-fixtures.js";
import type * as Fixture from "./fixtures/agent.js";

const ERROR = 2;
const modes: DecoratorMode[] = ["standard", "legacy"];
const fixtures = new Map<DecoratorMode, { mod: typeof Fixture; code: string; diagnostics: string[] }>();

beforeAll(async () => {
  for (const mode of modes) {
    const { url, code, diagnostics } = compileFixture(mode);
    fixtures.set(mode, { mod: (await import(url)) as typeof Fixture, code, diagnostics });
  }
});

const json = (s: ReceivedSpan, key: string) => JSON.parse(String(s.attributes[key]));

describe.each(modes)("decorators compiled with %s decorators", (mode) => {
  const { flush } = useReceiver();
  const load = () => fixtures.get(mode)!;
  const agent = () => new (load().mod.Agent)("p");

  it("is compiled by tsc in this mode without type errors", () => {
    const { code, diagnostics } = load();
    expect(diagnostics).toEqual([]);
    // Proves which decorator transform ran: TC39 helpers vs the legacy __decorate helper.
    if (mode === "standard") expect(code).toMatch(/__esDecorate/);
    else expect(code).toMatch(/__decorate\(/);
  });

  it("names spans after the method, nests the tool under the interaction, records named arguments", async () => {
    const result = agent().handle("q");
    expect(result).toBe("p:p-q,2,a,b"); // sync stays sync, `this` preserved
    expect(result).not.toBeInstanceOf(Promise);
    const r = await flush();
    const root = r.span("handle");
    const search = r.span("search");
    expect(root.parentSpanId).toBeUndefined();
    expect(search.parentSpanId).toBe(root.spanId);
    expect(search.attributes["openinference.span.kind"]).toBe("tool");
    expect(json(search, "input.value")).toEqual({ query: "q", limit: 2, tags: ["a", "b"] });
    expect(json(search, "output.value")).toEqual(["p-q", "2", "a", "b"]);
    expect(root.attributes["output.value"]).toBe("p:p-q,2,a,b");
    expect(root.attributes["input.value"]).toBeUndefined(); // interactions never capture arguments
    expect(root.attributes["openinference.span.kind"]).toBeUndefined();
  });

  it("awaits async methods, honours event/name options and records destructured parameters by position", async () => {
    const pending = agent().run("doc1");
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toBe("p:doc1@2");
    const r = await flush();
    const run = r.span("async_run");
    const fetch = r.span("fetch_doc");
    expect(fetch.parentSpanId).toBe(run.spanId);
    expect(json(fetch, "input.value")).toEqual({ arg0: { id: "doc1", version: 2 } });
    expect(fetch.attributes["output.value"]).toBe("doc1@2");
    expect(run.attributes["output.value"]).toBe("p:doc1@2");
  });

  it("keeps a generator method's span open until it is consumed and joins string items", async () => {
    const words = agent().words("a b c");
    expect(typeof words.next).toBe("function");
    expect((await flush()).spans).toHaveLength(0);
    expect([...words]).toEqual(["a", "b", "c"]);
    const s = (await flush()).span("words");
    expect(json(s, "input.value")).toEqual({ text: "a b c" });
    expect(s.attributes["output.value"]).toBe("abc");
    expect(s.status.code).not.toBe(ERROR);
  });

  it("records an async generator's items as a JSON array and nests spans created inside its body", async () => {
    const items: unknown[] = [];
    for await (const item of agent().chunks(3)) items.push(item);
    expect(items).toEqual([0, 1, 2].map((i) => ({ i, by: "p" })));
    for await (const n of agent().nested()) expect(typeof n).toBe("number");
    const r = await flush();
    expect(json(r.span("chunks"), "output.value")).toEqual(items);
    expect(r.span("inside_stream").parentSpanId).toBe(r.span("nested").spanId);
    expect(json(r.span("nested"), "output.value")).toEqual([1, 2]);
  });

  it("ends a stream span when the consumer breaks early, with the items seen so far", async () => {
    for await (const c of agent().chunks(10)) if (c.i === 1) break;
    const s = (await flush()).span("chunks");
    expect(json(s, "output.value")).toEqual([
      { i: 0, by: "p" },
      { i: 1, by: "p" },
    ]);
    expect(s.status.code).not.toBe(ERROR);
  });

  it("marks a generator that throws mid-stream as failed and re-throws the same error", async () => {
    const seen: number[] = [];
    let caught: unknown;
    try {
      for (const n of agent().explodes(2)) seen.push(n);
    } catch (err) {
      caught = err;
    }
    expect(seen).toEqual([0, 1]);
    expect((caught as Error).message).toBe("stream broke");
    const s = (await flush()).span("explodes");
    expect(s.status.code).toBe(ERROR);
    expect(s.events.map((e) => e.name)).toEqual(["exception"]);
  });

  it("records thrown and rejected errors, re-throwing the same object, and ends every span", async () => {
    const a = agent();
    let thrown: unknown;
    try {
      a.fails("boom");
    } catch (err) {
      thrown = err;
    }
    expect((thrown as Error).message).toBe("boom");
    const rejected = await a.failingRun().catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(TypeError);
    bento.trackAi({ event: "after" });
    const r = await flush();
    expect(r.span("after").parentSpanId).toBeUndefined(); // nothing left open or current
    const fails = r.span("fails");
    expect(fails.status.code).toBe(ERROR);
    expect(fails.events[0]!.attributes["exception.message"]).toBe("boom");
    expect(r.span("rejects").status.code).toBe(ERROR);
    expect(r.span("rejects").parentSpanId).toBe(r.span("failingRun").spanId);
    expect(r.span("failingRun").status.code).toBe(ERROR);
    expect(r.span("failingRun").events[0]!.attributes["exception.type"]).toBe("TypeError");
  });

  it("records nothing when captureInput/captureOutput are false", async () => {
    expect(agent().secret("hunter2")).toBe("token-hunter2");
    expect(agent().quiet()).toBe("not recorded");
    const r = await flush();
    for (const name of ["secret", "quiet"]) {
      expect(r.span(name).attributes["input.value"]).toBeUndefined();
      expect(r.span(name).attributes["output.value"]).toBeUndefined();
    }
    expect(JSON.stringify(r.spans)).not.toContain("hunter2");
  });

  it("decorates static methods, with and without parentheses", async () => {
    expect(await load().mod.Agent.boot()).toBe("v1.2");
    const r = await flush();
    expect(r.span("version").parentSpanId).toBe(r.span("boot").spanId);
    expect(json(r.span("version"), "input.value")).toEqual({ major: 1, minor: 2 });
    expect(r.span("boot").attributes["output.value"]).toBe("v1.2");
  });

  it("keeps method names and lengths", () => {
    const a = agent();
    expect([a.handle.name, a.search.name, a.fetchDoc.name, load().mod.Agent.version.name]).toEqual([
      "handle",
      "search",
      "fetchDoc",
      "version",
    ]);
    expect([a.handle.length, a.search.length, load().mod.Agent.version.length]).toEqual([1, 1, 1]);
  });
});
