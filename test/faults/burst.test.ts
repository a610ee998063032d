import { describe, expect, it } from "vitest";
import { conserved, faultServer, SDK, spawnSdk } from "./harness.js";

describe("fault server: bursts (child process)", () => {
  it("delivers every span of a 50k-call burst exactly once with default settings", async () => {
    const server = await faultServer();
    const run = await spawnSdk(
      `${SDK}
       const turn = () => new Promise((r) => setImmediate(r));
       for (let i = 0; i < 50_000; i++) {
         bento.trackAi({ event: "b" + i, model: "gpt-4o", provider: "openai", input: "What is the capital of France?", output: "Paris", userId: "u1", convoId: "c1", properties: { route: "/chat", n: i } });
         if (i % 200 === 199) await turn(); // a hot loop that yields now and then, like a batch job
       }
       const r = await bento.flush({ timeoutMs: 60_000 });
       console.log(JSON.stringify({ r, stats: bento.stats() }));`,
      server.url,
      {},
      90_000,
    ).done;
    await server.stop();
    expect(run.report.stats).toEqual({ emitted: 50_000, exported: 50_000, queued: 0, dropped: {} });
    expect(run.report.r).toEqual({ ok: true, pending: 0 });
    const names = server.spanNames();
    expect(names).toHaveLength(50_000);
    expect(new Set(names).size).toBe(50_000);
    expect(server.maxOpen).toBe(1);
  }, 120_000);

  it("answers flush().ok false once spans were dropped, then true when nothing more is lost", async () => {
    const server = await faultServer();
    const run = await spawnSdk(
      `${SDK}
       bento.init({ maxQueueSize: 100 });
       for (let i = 0; i < 300; i++) bento.trackAi({ event: "s" + i }); // no turn in between: 200 overflow
       const first = await bento.flush();
       bento.trackAi({ event: "later" });
       const second = await bento.flush();
       console.log(JSON.stringify({ first, second, stats: bento.stats() }));`,
      server.url,
    ).done;
    await server.stop();
    const { first, second, stats } = run.report;
    expect(first).toEqual({ ok: false, pending: 0 });
    expect(second).toEqual({ ok: true, pending: 0 });
    expect(stats.dropped).toEqual({ queue_full: 200 });
    expect(conserved(stats)).toBe(true);
    // The oldest spans went; the newest 100 and the later one arrived.
    expect(server.spanNames()).toEqual([...Array.from({ length: 100 }, (_, i) => `s${i + 200}`), "later"]);
  });
});
