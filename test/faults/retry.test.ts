import { describe, expect, it } from "vitest";
import { TEST_KEY } from "../helpers/receiver.js";
import { conserved, faultServer, SDK, spawnSdk } from "./harness.js";

describe.concurrent("fault server: retries and broken responses (child process)", () => {
  it("retries 503 + Retry-After: 2 three times in real seconds, then delivers the same body", async () => {
    const server = await faultServer((i) => (i < 3 ? { status: 503, headers: { "retry-after": "2" } } : { status: 200 }));
    const run = await spawnSdk(
      `${SDK}
       for (let i = 0; i < 5; i++) bento.trackAi({ event: "r" + i });
       const r = await bento.flush({ timeoutMs: 15000 });
       console.log(JSON.stringify({ r, stats: bento.stats() }));`,
      server.url,
    ).done;
    await server.stop();
    expect(run.report.r).toEqual({ ok: true, pending: 0 });
    expect(run.report.stats).toEqual({ emitted: 5, exported: 5, queued: 0, dropped: {} });
    expect(server.requests).toHaveLength(4);
    expect(new Set(server.requests.map((r) => r.raw.toString("hex"))).size).toBe(1);
    const gaps = server.requests.slice(1).map((r, i) => r.at - server.requests[i]!.at);
    for (const g of gaps) expect(g).toBeGreaterThanOrEqual(1900);
    expect(server.maxOpen).toBe(1);
  });

  it("pauses on Retry-After: 120 without hammering or dropping", async () => {
    const server = await faultServer(() => ({ status: 429, headers: { "retry-after": "120" } }));
    const run = await spawnSdk(
      `${SDK}
       for (let i = 0; i < 10; i++) bento.trackAi({ event: "p" + i });
       await new Promise((r) => setTimeout(r, 1500));
       for (let i = 0; i < 10; i++) bento.trackAi({ event: "q" + i });
       await new Promise((r) => setTimeout(r, 1500));
       const stats = bento.stats();
       const r = await bento.shutdown({ timeoutMs: 100 });
       console.log(JSON.stringify({ stats, r, after: bento.stats() }));`,
      server.url,
    ).done;
    await server.stop();
    expect(server.requests).toHaveLength(1);
    expect(run.report.stats).toEqual({ emitted: 20, exported: 0, queued: 20, dropped: {} });
    expect(run.report.r).toEqual({ ok: false, pending: 20 });
    expect(run.ms).toBeLessThan(6000);
  });

  it("abandons an attempt on a server that accepts TCP and never answers, then delivers", async () => {
    const server = await faultServer((i) => (i === 0 ? { hang: true } : { status: 200 }));
    const run = await spawnSdk(
      `${SDK}
       bento.init({ exportTimeoutMs: 1000, retryInitialDelayMs: 100 });
       for (let i = 0; i < 3; i++) bento.trackAi({ event: "h" + i });
       const t0 = Date.now();
       const r = await bento.flush({ timeoutMs: 5000 });
       console.log(JSON.stringify({ r, ms: Date.now() - t0, stats: bento.stats() }));`,
      server.url,
    ).done;
    await server.stop();
    expect(run.report.r).toEqual({ ok: true, pending: 0 });
    expect(run.report.ms).toBeGreaterThanOrEqual(1000);
    expect(run.report.ms).toBeLessThan(2500);
    expect(run.report.stats).toMatchObject({ exported: 3, dropped: {} });
    expect(server.requests).toHaveLength(2);
    expect(server.maxOpen).toBe(1);
  });

  it("does not let 200 headers followed by a body trickled forever pin the export slot", async () => {
    const server = await faultServer((i) => (i === 0 ? { trickle: true } : { status: 200 }));
    const run = await spawnSdk(
      `${SDK}
       bento.init({ exportTimeoutMs: 1000 });
       bento.trackAi({ event: "first" });
       const a = await bento.flush({ timeoutMs: 4000 });
       bento.trackAi({ event: "second" });
       const b = await bento.flush({ timeoutMs: 4000 });
       console.log(JSON.stringify({ a, b, stats: bento.stats() }));`,
      server.url,
    ).done;
    await server.stop();
    expect(run.report.a).toEqual({ ok: true, pending: 0 });
    expect(run.report.b).toEqual({ ok: true, pending: 0 });
    expect(run.report.stats).toEqual({ emitted: 2, exported: 2, queued: 0, dropped: {} });
    expect(server.spanNames()).toEqual(["first", "second"]);
    expect(run.ms).toBeLessThan(5000);
  });

  it("splits batches on 413 until the endpoint accepts them", async () => {
    const server = await faultServer((_i, r) => (r.spanNames.length > 100 ? { status: 413 } : { status: 200 }));
    const run = await spawnSdk(
      `${SDK}
       for (let i = 0; i < 512; i++) bento.trackAi({ event: "s" + i });
       const r = await bento.flush();
       console.log(JSON.stringify({ r, stats: bento.stats() }));`,
      server.url,
    ).done;
    await server.stop();
    expect(run.report.stats).toEqual({ emitted: 512, exported: 512, queued: 0, dropped: {} });
    const accepted = server.requests.filter((r) => r.spanNames.length <= 100).flatMap((r) => r.spanNames);
    expect(new Set(accepted).size).toBe(512);
    expect(server.maxOpen).toBe(1);
  });

  it("warns once on 401 that the key was rejected, showing only its last 4 characters", async () => {
    const server = await faultServer(() => ({ status: 401 }));
    const run = await spawnSdk(
      `${SDK}
       bento.init({ maxExportBatchSize: 1 });
       for (let i = 0; i < 4; i++) bento.trackAi({ event: "u" + i });
       await bento.flush();
       console.log(JSON.stringify({ stats: bento.stats() }));`,
      server.url,
      { BENTOLABS_LOG_LEVEL: "debug" },
    ).done;
    await server.stop();
    const lines = run.stderr.split("\n").filter((l) => l.includes("rejected the API key"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`bl_pk_…${TEST_KEY.slice(-4)}`);
    expect(run.report.stats).toEqual({ emitted: 4, exported: 0, queued: 0, dropped: { unauthorized: 4 } });
    expect(conserved(run.report.stats)).toBe(true);
  });

  it("fails closed with one warning on plain http to a non-loopback host", async () => {
    const run = await spawnSdk(
      `${SDK}
       for (let i = 0; i < 3; i++) bento.trackAi({ event: "i" + i });
       console.log(JSON.stringify({ r: await bento.flush(), stats: bento.stats() }));`,
      "http://bento.example.invalid",
      { BENTOLABS_LOG_LEVEL: "debug" },
    ).done;
    expect(run.stderr.split("\n").filter((l) => l.includes("plain http://"))).toHaveLength(1);
    expect(run.report.stats).toEqual({ emitted: 3, exported: 0, queued: 0, dropped: { insecure_http: 3 } });
  });
});
