import { describe, expect, it } from "vitest";
import { Fifo } from "../../src/export/queue.js";

describe("fifo", () => {
  it("shifts in insertion order and drains what is left", () => {
    const q = new Fifo<number>();
    for (let i = 0; i < 10; i++) q.push(i);
    expect([q.shift(), q.shift(), q.peek()]).toEqual([0, 1, 2]);
    expect(q.length).toBe(8);
    expect(q.drain()).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect([q.length, q.shift()]).toEqual([0, undefined]);
  });

  it("stays correct across compaction of a long-running queue", () => {
    const q = new Fifo<number>();
    let next = 0;
    let expected = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 300; i++) q.push(next++);
      for (let i = 0; i < 250; i++) expect(q.shift()).toBe(expected++);
    }
    expect(q.length).toBe(next - expected);
    expect(q.peek()).toBe(expected);
  });
});
