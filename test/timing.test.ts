import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import * as bento from "../src/index.js";
import { useReceiver } from "./helpers/setup.js";

const ns = (s: string) => BigInt(s);

describe("span timing", () => {
  const { flush } = useReceiver();

  it("orders siblings made in the same millisecond by their real start", async () => {
    await bento.begin({ event: "root" }, () => {
      for (let i = 0; i < 50; i++) bento.trackAi({ event: `s${i}` });
    });
    const r = await flush();
    const starts = Array.from({ length: 50 }, (_, i) => ns(r.span(`s${i}`).startTimeUnixNano));
    for (let i = 1; i < starts.length; i++) expect(starts[i]! > starts[i - 1]!, `s${i} starts after s${i - 1}`).toBe(true);
  });

  it("measures trajectory and tool durations with sub-millisecond precision on the wall clock", async () => {
    const before = BigInt(Date.now()) * 1_000_000n;
    await bento.begin({ event: "run" }, async (t) => {
      await t.toolSpan("tool", {}, () => sleep(30));
    });
    const after = BigInt(Date.now() + 1) * 1_000_000n;
    const r = await flush();
    const run = r.span("run");
    const tool = r.span("tool");
    const ms = (s: { startTimeUnixNano: string; endTimeUnixNano: string }) => Number(ns(s.endTimeUnixNano) - ns(s.startTimeUnixNano)) / 1e6;
    expect(ms(tool)).toBeGreaterThanOrEqual(29);
    expect(ms(run)).toBeGreaterThanOrEqual(ms(tool));
    expect(ns(run.startTimeUnixNano) >= before - 2_000_000n && ns(run.endTimeUnixNano) <= after + 2_000_000n).toBe(true);
    expect(ns(run.startTimeUnixNano) % 1_000_000n !== 0n || ns(tool.startTimeUnixNano) % 1_000_000n !== 0n).toBe(true);
  });

  it("honours explicit trackAi start and end times", async () => {
    const start = new Date(Date.now() - 250);
    bento.trackAi({ event: "timed", startTime: start });
    bento.trackAi({ event: "both", startTime: 1_700_000_000_000, endTime: 1_700_000_000_500 });
    const r = await flush();
    const timed = r.span("timed");
    expect(ns(timed.startTimeUnixNano)).toBe(BigInt(start.getTime()) * 1_000_000n);
    expect(Number(ns(timed.endTimeUnixNano) - ns(timed.startTimeUnixNano)) / 1e6).toBeGreaterThanOrEqual(249);
    expect(r.span("both").startTimeUnixNano).toBe("1700000000000000000");
    expect(r.span("both").endTimeUnixNano).toBe("1700000000500000000");
  });
});
