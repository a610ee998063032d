import { describe, expect, it } from "vitest";
import { conserved, faultServer, SDK, spawnSdk } from "./harness.js";

describe("fault server: sustained outage under load (child process)", () => {
  it("keeps the loop responsive, memory bounded and one connection in flight; resumes and conserves counts", async () => {
    let downUntil = Number.POSITIVE_INFINITY;
    const server = await faultServer((_i, r) => (r.at < downUntil ? { status: 503 } : { status: 200 }));
    const child = spawnSdk(
      `${SDK}
       import { monitorEventLoopDelay } from "node:perf_hooks";
       bento.init({ retryInitialDelayMs: 200, retryMaxDelayMs: 400, maxQueueBytes: 2 * 1024 * 1024 });
       const props = { route: "/chat", tenant: "acme", attempt: 1 };
       const emit = (n) => { for (let i = 0; i < n; i++) bento.trackAi({ event: "burst", model: "m", input: "question " + i, output: "answer", properties: props }); };
       for (let i = 0; i < 3000; i++) emit(1); // warm up before measuring
       global.gc?.();
       const heap0 = process.memoryUsage().heapUsed;
       const eld = monitorEventLoopDelay({ resolution: 10 });
       eld.enable();
       let maxHeap = 0;
       const tick = setInterval(() => { emit(50); maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed); }, 10); // ~5000 spans/s
       await new Promise((r) => setTimeout(r, 3000));
       const during = bento.stats();
       console.log("recover");
       await new Promise((r) => setTimeout(r, 1500));
       clearInterval(tick);
       eld.disable();
       const r = await bento.flush({ timeoutMs: 8000 });
       bento.trackAi({ event: "after" });
       const again = await bento.flush({ timeoutMs: 8000 });
       console.log(JSON.stringify({ during, r, again, stats: bento.stats(), p99: eld.percentile(99) / 1e6, heapGrowthMb: (maxHeap - heap0) / 1048576 }));`,
      server.url,
    );
    await child.waitFor("recover");
    downUntil = Date.now();
    const run = await child.done;
    await server.stop();
    const { during, r, again, stats, p99, heapGrowthMb } = run.report;
    expect(during.emitted).toBeGreaterThan(8_000);
    // The byte budget (2 MiB of encoded spans of ~300+ bytes) bounds what is held.
    expect(during.queued).toBeLessThan(7000);
    expect(during.dropped.queue_full).toBeGreaterThan(0);
    expect(conserved(during)).toBe(true);
    // Everything still held was delivered, but spans were dropped since the last answer: not ok.
    expect(r).toEqual({ ok: false, pending: 0 });
    expect(again).toEqual({ ok: true, pending: 0 });
    expect(stats.exported).toBeGreaterThan(2048);
    expect(stats.queued).toBe(0);
    expect(conserved(stats)).toBe(true);
    expect(p99).toBeLessThan(100);
    expect(heapGrowthMb).toBeLessThan(64);
    expect(server.maxOpen).toBe(1);
    const afterRecovery = server.requests.filter((q) => q.at >= downUntil);
    expect(afterRecovery.length).toBeGreaterThan(0);
    // Retries back off instead of hammering: a handful of attempts per second while down.
    expect(server.requests.filter((q) => q.at < downUntil).length).toBeLessThan(30);
  });
});
