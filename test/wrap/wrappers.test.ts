import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it, vi } from "vitest";
import * as bento from "../../src/index.js";
import type { ReceivedSpan } from "../helpers/receiver.js";
import { useReceiver } from "../helpers/setup.js";

const ERROR = 2;
const json = (s: ReceivedSpan, key: string) => JSON.parse(String(s.attributes[key]));

describe("bento.tool / bento.interaction as plain-function wrappers", () => {
  const { flush } = useReceiver();

  it("keeps name, length and sync behaviour, and records arguments by parameter name", async () => {
    const addTool = bento.tool(function add(a: number, b = 10, ...more: number[]) {
      return a + b + more.reduce((x, y) => x + y, 0);
    });
    expect(addTool.name).toBe("add");
    expect(addTool.length).toBe(1);
    const result = addTool(1, 2, 3, 4);
    expect(result).toBe(10);
    addTool(5);
    const r = await flush();
    const [first, second] = r.spans.filter((s) => s.name === "add");
    expect(json(first!, "input.value")).toEqual({ a: 1, b: 2, more: [3, 4] });
    expect(first!.attributes["output.value"]).toBe("10");
    expect(json(second!, "input.value")).toEqual({ a: 5, more: [] }); // a defaulted parameter is omitted
  });

  it("keeps async functions AsyncFunctions and sync functions plain", async () => {
    const { types } = await import("node:util");
    expect(types.isAsyncFunction(bento.tool(async function a() {}))).toBe(true);
    expect(types.isAsyncFunction(bento.interaction(function s() {}))).toBe(false);
    await flush();
  });

  it("leaves non-method members unchanged in both decorator modes", async () => {
    const getter = () => 1;
    const context = { kind: "getter", name: "value", addInitializer() {} } as unknown as ClassMethodDecoratorContext;
    expect(bento.tool(getter, context)).toBeUndefined();
    expect(bento.interaction({ event: "x" })(getter, context)).toBeUndefined();
    const field = { kind: "field", name: "count", addInitializer() {} } as unknown as ClassFieldDecoratorContext;
    expect((bento.tool as unknown as (v: undefined, c: unknown) => unknown)(undefined, field)).toBeUndefined(); // no initializer that would clobber the field
    const accessor: PropertyDescriptor = { get: getter, configurable: true };
    expect(bento.tool({}, "value", accessor)).toBeUndefined();
    expect(accessor.get).toBe(getter);
    expect((await flush()).spans).toHaveLength(0);
  });

  it("passes `this` through and never records it", async () => {
    const counter = {
      factor: 3,
      secretToken: "do-not-record",
      times: bento.tool(function times(this: { factor: number }, x: number) {
        return this.factor * x;
      }),
    };
    expect(counter.times(2)).toBe(6);
    const s = (await flush()).span("times");
    expect(json(s, "input.value")).toEqual({ x: 2 });
    expect(JSON.stringify(s.attributes)).not.toContain("do-not-record");
  });

  it("uses the name option, else the function name, else 'anonymous'", async () => {
    bento.tool(async (q: string) => q, { name: "lookup" })("x");
    await bento.tool(async (q: string) => q)("y");
    const bound = bento.tool(
      function original(a: number) {
        return a;
      }.bind(null),
    );
    bound(1);
    const r = await flush();
    expect(json(r.span("lookup"), "input.value")).toEqual({ q: "x" });
    expect(json(r.span("anonymous"), "input.value")).toEqual({ q: "y" });
    expect(json(r.span("original"), "input.value")).toEqual({ arg0: 1 }); // bound: names unreadable
  });

  it("falls back to arg0, arg1, … for native functions", async () => {
    expect(bento.tool(Math.max)(3, 9)).toBe(9);
    expect(json((await flush()).span("max"), "input.value")).toEqual({ arg0: 3, arg1: 9 });
  });

  it("parses parameter names once, at wrap time, not per call", async () => {
    const spy = vi.spyOn(Function.prototype, "toString");
    try {
      const echoTool = bento.tool(function echo(value: string) {
        return value;
      });
      const parsedAtWrap = spy.mock.calls.length;
      for (let i = 0; i < 50; i++) echoTool(String(i));
      expect(parsedAtWrap).toBeGreaterThan(0);
      expect(spy.mock.calls.length).toBe(parsedAtWrap);
    } finally {
      spy.mockRestore();
    }
    expect((await flush()).spans.filter((s) => s.name === "echo")).toHaveLength(50);
  });

  it("nests wrapped tools under a wrapped interaction and records the interaction's awaited output only", async () => {
    const searchTool = bento.tool(async function search(query: string) {
      await sleep(1);
      return [query.toUpperCase()];
    });
    const chatFn = bento.interaction(async function chat(question: string) {
      const docs = await searchTool(question);
      return { answer: docs[0] };
    });
    expect(await chatFn("hi")).toEqual({ answer: "HI" });
    const r = await flush();
    expect(r.span("search").parentSpanId).toBe(r.span("chat").spanId);
    expect(json(r.span("chat"), "output.value")).toEqual({ answer: "HI" });
    expect(r.span("chat").attributes["input.value"]).toBeUndefined();
  });

  it("re-throws the very same error object, sync errors synchronously, and ends the span", async () => {
    const err = new RangeError("bad");
    const sync = bento.interaction(function syncFail(): void {
      throw err;
    });
    expect(() => sync()).toThrow(err);
    const nonError = bento.tool(async function rejectsString(): Promise<void> {
      throw "plain string";
    });
    await expect(nonError()).rejects.toBe("plain string");
    const r = await flush();
    expect(r.span("syncFail").status.code).toBe(ERROR);
    expect(r.span("syncFail").events.map((e) => e.name)).toEqual(["exception"]);
    expect(r.span("rejectsString").status.code).toBe(ERROR);
  });

  it("ends the span when a non-Promise thenable settles", async () => {
    let resolve!: (v: string) => void;
    const settled = new Promise<string>((r) => (resolve = r));
    // A minimal Promises/A+ thenable that is not a Promise (like a query builder or an SDK's API promise).
    const thenable = { then: (ok: (v: string) => unknown, ko: (e: unknown) => unknown) => settled.then(ok, ko) };
    const call = bento.tool(function deferred() {
      return thenable;
    });
    const result = call() as unknown as PromiseLike<string>;
    expect((await flush()).spans).toHaveLength(0);
    const awaited = Promise.resolve(result);
    resolve("later");
    expect(await awaited).toBe("later");
    expect((await flush()).span("deferred").attributes["output.value"]).toBe("later");
  });

  it("returns arrays and other sync iterables unchanged instead of treating them as streams", async () => {
    const list = ["a", "b"];
    const same = bento.tool(function list_() {
      return list;
    });
    expect(same()).toBe(list);
    expect(json((await flush()).span("list_"), "output.value")).toEqual(["a", "b"]);
  });

  it("keeps spans of concurrent calls apart", async () => {
    const stepTool = bento.tool(async function step(id: string) {
      await sleep(Math.random() * 5);
      return id;
    });
    const handleFn = bento.interaction(async function handle(id: string) {
      await sleep(1);
      return stepTool(id);
    });
    await Promise.all(["a", "b", "c", "d"].map((id) => handleFn(id)));
    const r = await flush();
    const roots = r.spans.filter((s) => s.name === "handle");
    for (const s of r.spans.filter((x) => x.name === "step")) {
      const parent = roots.find((root) => root.spanId === s.parentSpanId)!;
      expect(parent.attributes["output.value"]).toBe(json(s, "input.value").id);
    }
    expect(roots).toHaveLength(4);
  });
});
