import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import * as bento from "../../src/index.js";
import type { Completion } from "../../src/spans/core.js";
import { type StreamHooks, streamKind, trackStream } from "../../src/spans/stream.js";
import type { ReceivedSpan } from "../helpers/receiver.js";
import { useReceiver } from "../helpers/setup.js";

const ERROR = 2;
const json = (s: ReceivedSpan, key: string) => JSON.parse(String(s.attributes[key]));

/** Shaped like an LLM SDK's stream: a class with a private field, a controller and extra methods. */
class FakeSdkStream<T> implements AsyncIterable<T> {
  readonly #items: T[];
  readonly controller = new AbortController();
  constructor(items: T[]) {
    this.#items = items;
  }
  get size(): number {
    return this.#items.length;
  }
  peek(): T | undefined {
    return this.#items[0];
  }
  async toArray(): Promise<T[]> {
    await sleep(1);
    return [...this.#items];
  }
  pipe(sink: T[]): T[] {
    sink.push(...this.#items);
    return sink;
  }
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (const item of this.#items) {
      await sleep(1);
      yield item;
    }
  }
}

function hooks(limits = { maxItems: 3, maxChars: 5 }): StreamHooks & { completions: Completion[] } {
  const completions: Completion[] = [];
  return { frame: { node: undefined, scope: undefined }, collect: true, limits, done: (c) => completions.push(c), completions };
}

describe("stream output bounds (trackStream)", () => {
  it("joins string chunks and stops keeping them past the character budget", () => {
    const h = hooks();
    function* g() {
      yield* ["ab", "cd", "ef", "gh", "ij"];
    }
    expect([...trackStream(g(), "generator", h)]).toEqual(["ab", "cd", "ef", "gh", "ij"]);
    expect(h.completions).toEqual([{ failed: false, value: "abcdef" }]); // first chunks past 5 chars; writeIo truncates later
  });

  it("keeps at most maxItems entries, the last one a marker counting the dropped items", () => {
    const h = hooks();
    function* g() {
      for (let i = 0; i < 10; i++) yield { i };
    }
    for (const _ of trackStream(g(), "generator", h));
    expect(h.completions[0]).toEqual({ failed: false, value: [{ i: 0 }, { i: 1 }, "…[8 more items truncated by bentolabs]"] });
  });

  it("records an empty stream as an empty array and mixed items as an array", () => {
    const empty = hooks();
    for (const _ of trackStream((function* () {})(), "generator", empty));
    expect(empty.completions[0]).toEqual({ failed: false, value: [] });
    const mixed = hooks();
    for (const _ of trackStream(
      (function* () {
        yield "a";
        yield 1;
      })(),
      "generator",
      mixed,
    ));
    expect(mixed.completions[0]).toEqual({ failed: false, value: ["a", 1] });
  });

  it("classifies only generators and async iterables as streams", () => {
    expect(streamKind((function* () {})())).toBe("generator");
    expect(streamKind((async function* () {})())).toBe("async-generator");
    expect(streamKind(new FakeSdkStream([]))).toBe("async-iterable");
    for (const value of [[1], "text", new Map(), new Set([1]), { next() {} }, null, 3]) expect(streamKind(value)).toBeUndefined();
  });
});

describe("streaming results of wrapped functions", () => {
  const { flush } = useReceiver();

  it("wraps an SDK stream object in a proxy that keeps its properties, methods and private fields working", async () => {
    const original = new FakeSdkStream(["Hel", "lo"]);
    const completeTool = bento.tool(async function complete(prompt: string) {
      await sleep(1);
      return original;
    });
    const stream = await completeTool("hi");
    expect(stream).not.toBe(original);
    expect(stream).toBeInstanceOf(FakeSdkStream);
    expect(stream.controller).toBe(original.controller);
    expect(stream.size).toBe(2);
    expect(String(stream)).toBe("[object Object]");
    expect((await flush()).spans).toHaveLength(0);
    let text = "";
    for await (const chunk of stream) {
      text += chunk;
      expect(stream.peek()).toBe("Hel"); // a method using a private field, called on the proxy
    }
    expect(text).toBe("Hello");
    const s = (await flush()).span("complete");
    expect(s.attributes["output.value"]).toBe("Hello");
    expect(json(s, "input.value")).toEqual({ prompt: "hi" });
  });

  it("hands the span off when a method consumes the stream instead of iteration", async () => {
    const toArrayTool = bento.tool(function viaToArray() {
      return new FakeSdkStream([1, 2]);
    });
    const pipeTool = bento.tool(function viaPipe() {
      return new FakeSdkStream(["x"]);
    });
    const pending = toArrayTool().toArray();
    expect((await flush()).spans).toHaveLength(0);
    expect(await pending).toEqual([1, 2]);
    expect(pipeTool().pipe([])).toEqual(["x"]);
    const r = await flush();
    expect(json(r.span("viaToArray"), "output.value")).toEqual([1, 2]);
    expect(r.span("viaPipe").attributes["output.value"]).toBeUndefined();
  });

  it("ends the span with an error when the consumer throws into a generator it does not catch", async () => {
    const gen = bento.tool(function* numbers() {
      yield 1;
      yield 2;
    })();
    expect(gen.next()).toEqual({ value: 1, done: false });
    const err = new Error("consumer gave up");
    expect(() => gen.throw(err)).toThrow(err);
    const s = (await flush()).span("numbers");
    expect(s.status.code).toBe(ERROR);
    expect(s.events[0]!.attributes["exception.message"]).toBe("consumer gave up");
  });

  it("keeps the span healthy when the generator catches what the consumer throws in", async () => {
    const gen = bento.tool(function* resilient() {
      try {
        yield "a";
      } catch {
        yield "recovered";
      }
    })();
    gen.next();
    expect(gen.throw(new Error("retry"))).toEqual({ value: "recovered", done: false });
    expect(gen.next().done).toBe(true);
    const s = (await flush()).span("resilient");
    expect(s.status.code).not.toBe(ERROR);
    expect(s.attributes["output.value"]).toBe("arecovered");
  });

  it("nests spans created lazily in a sync generator body under its span, not under the consumer's", async () => {
    const lazyTool = bento.tool(function* lazy() {
      bento.trackAi({ event: "in_body" });
      yield 1;
    });
    const gen = lazyTool();
    await bento.begin({ event: "consumer" }, async () => {
      for (const _ of gen) bento.trackAi({ event: "in_loop" });
    });
    const r = await flush();
    expect(r.span("in_body").parentSpanId).toBe(r.span("lazy").spanId);
    expect(r.span("in_loop").parentSpanId).toBe(r.span("consumer").spanId);
    expect(r.span("lazy").parentSpanId).toBeUndefined(); // created outside any trajectory
  });

  it("supports manual next()/return() on async generators", async () => {
    const gen = bento.interaction(async function* ticker() {
      yield 1;
      yield 2;
      yield 3;
    })();
    expect(await gen.next()).toEqual({ value: 1, done: false });
    expect(await gen.return(undefined)).toEqual({ value: undefined, done: true });
    expect(await gen.next()).toEqual({ value: undefined, done: true });
    expect(json((await flush()).span("ticker"), "output.value")).toEqual([1]);
  });

  it("records nothing for a stream when captureOutput is false, but still ends the span after consumption", async () => {
    const gen = bento.tool(
      function* hidden() {
        yield "secret-chunk";
      },
      { captureOutput: false },
    )();
    expect((await flush()).spans).toHaveLength(0);
    expect([...gen]).toEqual(["secret-chunk"]);
    const s = (await flush()).span("hidden");
    expect(s.attributes["output.value"]).toBeUndefined();
  });

  it("bounds a long non-string stream to 1000 entries on the wire", async () => {
    const manyTool = bento.tool(async function* many() {
      for (let i = 0; i < 1500; i++) yield i;
    });
    let n = 0;
    for await (const _ of manyTool()) n++;
    expect(n).toBe(1500);
    const out = json((await flush()).span("many"), "output.value") as unknown[];
    expect(out).toHaveLength(1000);
    expect(out[998]).toBe(998);
    expect(out[999]).toBe("…[501 more items truncated by bentolabs]");
  });

  it("leaves begin()'s callback form alone: a returned generator is the same object and the span ends at return", async () => {
    function* lazy() {
      yield 1;
    }
    const gen = lazy();
    const returned = bento.begin({ event: "plain" }, () => gen);
    expect(returned).toBe(gen);
    expect((await flush()).span("plain").attributes["output.value"]).toBeUndefined();
  });
});
