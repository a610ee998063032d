import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as bento from "../../src/index.js";
import { runNode } from "../helpers/child.js";
import { Receiver, TEST_KEY } from "../helpers/receiver.js";

const receiver = new Receiver();
beforeAll(() => receiver.start());
afterAll(() => receiver.stop());
afterEach(async () => {
  await bento.shutdown();
  delete process.env.BENTOLABS_ENABLED;
  receiver.reset();
});

const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

describe("enabled: false", () => {
  it("builds no span, starts no timer, adds no exit hook, and needs no key", async () => {
    const before = { exit: process.listenerCount("beforeExit"), timers: timers() };
    bento.init({ enabled: false });
    const ids = new Set<string>();
    for (let i = 0; i < 100; i++) ids.add(bento.trackAi({ event: "answer", input: "x" }));
    expect([...ids].every((id) => /^[0-9a-f]{16}$/.test(id))).toBe(true);
    expect(ids.size).toBe(100);
    const t = bento.begin({ event: "run" });
    expect(t.eventId).toMatch(/^[0-9a-f]{16}$/);
    t.toolSpan("search").end();
    t.finish({ output: "done" });
    expect(process.listenerCount("beforeExit")).toBe(before.exit);
    expect(timers()).toBeLessThanOrEqual(before.timers);
    expect(bento.stats()).toEqual({ emitted: 0, exported: 0, queued: 0, dropped: {} });
    expect(await bento.flush()).toEqual({ ok: true, pending: 0 });
  });

  it("keeps every call form working: callbacks return, wrappers call through with this, errors re-throw", async () => {
    bento.init({ enabled: false });
    expect(bento.begin({ event: "run" }, () => 42)).toBe(42);
    expect(await bento.toolSpan("t", {}, async () => "async")).toBe("async");
    const obj = { k: 2, twice(this: { k: number }, n: number) { return n * this.k; } };
    const wrapped = bento.tool(obj.twice);
    expect(wrapped.call(obj, 21)).toBe(42);
    const run = bento.interaction(async function chat(q: string) { return `a:${q}`; });
    expect(await run("q")).toBe("a:q");
    const boom = new Error("boom");
    expect(() => bento.begin({ event: "x" }, () => { throw boom; })).toThrow(boom);
    const span = bento.getTracerProvider().getTracer("instr").startSpan("llm");
    expect(span.isRecording()).toBe(false);
    span.end();
  });

  it("sends nothing, and init({ enabled: true }) afterwards traces again", async () => {
    bento.init({ enabled: false });
    bento.trackAi({ event: "off" });
    bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url });
    bento.trackAi({ event: "on" });
    await bento.flush();
    expect(receiver.spans.map((s) => s.name)).toEqual(["on"]);
  });

  it("reads BENTOLABS_ENABLED=false on lazy init; an explicit option wins", async () => {
    process.env.BENTOLABS_ENABLED = "false";
    expect(bento.trackAi({ event: "lazy" })).toMatch(/^[0-9a-f]{16}$/);
    expect(process.listenerCount("beforeExit")).toBe(0);
    await bento.shutdown();
    bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url, enabled: true });
    bento.trackAi({ event: "explicit" });
    await bento.flush();
    expect(receiver.spans.map((s) => s.name)).toEqual(["explicit"]);
  });

  it("turning tracing off closes a running pipeline, delivering what it held", async () => {
    bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url });
    bento.trackAi({ event: "before" });
    bento.init({ enabled: false });
    for (let i = 0; i < 50 && receiver.spans.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(receiver.spans.map((s) => s.name)).toEqual(["before"]);
  });

  it("rejects a non-boolean enabled", () => {
    expect(() => bento.init({ enabled: "no" as never })).toThrow(/enabled must be true or false/);
  });

  it("leaves no handle open: the process exits at once", async () => {
    const script = `
      import * as bento from "./dist/index.js";
      const t0 = performance.now();
      for (let i = 0; i < 1000; i++) bento.trackAi({ event: "e", input: "x" });
      await bento.begin({ event: "run" }, async () => bento.toolSpan("t", {}, async () => 1));
      const ask = bento.tool(async function ask(q) { return q; });
      await ask("q");
      process.on("exit", () => console.log(JSON.stringify({ resources: process.getActiveResourcesInfo(), exitHooks: process.listenerCount("beforeExit"), ms: performance.now() - t0 })));
    `;
    const run = await runNode(script, { env: { BENTOLABS_ENABLED: "false", BENTOLABS_API_KEY: TEST_KEY, BENTOLABS_BASE_URL: receiver.url } });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout.trim().split("\n").at(-1)!);
    expect(report.exitHooks).toBe(0);
    expect(report.resources.filter((r: string) => r !== "TTYWrap" && r !== "PipeWrap")).toEqual([]);
    expect(report.ms).toBeLessThan(500);
    expect(receiver.requests).toHaveLength(0);
  });
});
