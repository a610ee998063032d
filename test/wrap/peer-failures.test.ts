/**
 * The failures issue 3 lists for peer SDKs, each reproduced against our wrappers. Decorator-mode
 * coverage (standard and `experimentalDecorators`) lives in decorators.test.ts.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import * as bento from "../../src/index.js";
import { useReceiver } from "../helpers/setup.js";

const ERROR = 2;
const durationMs = (s: { startTimeUnixNano: string; endTimeUnixNano: string }) =>
  Number(BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano)) / 1e6;

describe("peer SDK failures that must not reproduce", () => {
  const { flush } = useReceiver();

  it("does not turn sync functions into Promises", async () => {
    const sumFn = bento.tool(function sum(a: number, b: number) {
      return a + b;
    });
    const runFn = bento.interaction(function run() {
      return sumFn(1, 2);
    });
    const result: unknown = runFn();
    expect(result).toBe(3);
    expect(result).not.toBeInstanceOf(Promise);
    const r = await flush();
    expect(r.span("sum").parentSpanId).toBe(r.span("run").spanId);
  });

  it("does not record arguments as an anonymous array", async () => {
    const searchFn = bento.tool(function search(query: string, limit: number) {
      return [query, limit];
    });
    searchFn("cats", 3);
    const input = JSON.parse(String((await flush()).span("search").attributes["input.value"]));
    expect(Array.isArray(input)).toBe(false);
    expect(input).toEqual({ query: "cats", limit: 3 });
  });

  it("does not end a stream's span before the stream is read", async () => {
    const tokensFn = bento.tool(async function* tokens() {
      yield "a";
      yield "b";
    });
    const stream = tokensFn();
    await sleep(40);
    expect((await flush()).spans).toHaveLength(0);
    const read: string[] = [];
    for await (const t of stream) read.push(t);
    const s = (await flush()).span("tokens");
    expect(read).toEqual(["a", "b"]);
    expect(s.attributes["output.value"]).toBe("ab");
    expect(durationMs(s)).toBeGreaterThanOrEqual(35);
  });

  it("does not leave spans open after errors, on any path", async () => {
    const boom = new Error("boom");
    const syncFailFn = bento.tool(function syncFail() {
      throw boom;
    });
    const asyncFailFn = bento.tool(async function asyncFail() {
      await sleep(1);
      throw boom;
    });
    const streamFailFn = bento.tool(async function* streamFail() {
      yield 1;
      throw boom;
    });
    const consumerFailFn = bento.tool(function* consumerFail() {
      yield 1;
      yield 2;
    });
    const outerFn = bento.interaction(async function outer() {
      expect(() => syncFailFn()).toThrow(boom);
      await expect(asyncFailFn()).rejects.toBe(boom);
      await expect(
        (async () => {
          for await (const _ of streamFailFn());
        })(),
      ).rejects.toBe(boom);
      expect(() => {
        for (const _ of consumerFailFn()) throw boom;
      }).toThrow(boom);
      bento.trackAi({ event: "still_inside" });
      return "done";
    });
    await outerFn();
    bento.trackAi({ event: "after" });
    const r = await flush();
    for (const name of ["syncFail", "asyncFail", "streamFail"]) {
      expect(r.span(name).status.code, name).toBe(ERROR);
      expect(r.span(name).parentSpanId, name).toBe(r.span("outer").spanId);
    }
    expect(r.span("consumerFail").status.code).not.toBe(ERROR); // the loop broke early: return() ended it
    expect(r.span("still_inside").parentSpanId).toBe(r.span("outer").spanId);
    expect(r.span("after").parentSpanId).toBeUndefined();
    expect(r.spans).toHaveLength(7);
  });
});
