import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { SpanQueue } from "../../src/export/queue.js";

const span = (name: string) => ({ name }) as unknown as ReadableSpan;

describe("span queue", () => {
  it("drops the newest span when the count budget is full, in-flight spans included", () => {
    const q = new SpanQueue(3, 1e9);
    expect([q.push(span("a"), 1), q.push(span("b"), 1), q.push(span("c"), 1), q.push(span("d"), 1)]).toEqual([true, true, true, false]);
    expect(q.take(2, 1e9).map((s) => s.name)).toEqual(["a", "b"]);
    expect(q.push(span("e"), 1)).toBe(false); // a, b still in flight
    q.release();
    expect(q.push(span("e"), 1)).toBe(true);
    expect(q.held).toBe(2);
  });

  it("drops the newest span when the byte budget is full", () => {
    const q = new SpanQueue(100, 1000);
    expect(q.push(span("a"), 600)).toBe(true);
    expect(q.push(span("b"), 600)).toBe(false);
    expect(q.push(span("c"), 400)).toBe(true);
    expect(q.heldBytes).toBe(1000);
  });

  it("takes batches bounded by span count and estimated bytes, at least one span", () => {
    const q = new SpanQueue(100, 1e9);
    for (let i = 0; i < 10; i++) q.push(span(`s${i}`), i === 0 ? 5000 : 100);
    expect(q.take(5, 1000)).toHaveLength(1);
    q.release();
    expect(q.take(5, 1000)).toHaveLength(5);
    q.release();
    expect(q.take(50, 250)).toHaveLength(2);
    expect(q.clear()).toBe(2);
    expect(q.held).toBe(2);
  });
});
