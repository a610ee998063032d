import { describe, expect, it } from "vitest";
import { TEST_KEY } from "../helpers/receiver.js";
import { faultServer, SDK, spawnSdk } from "./harness.js";

const attrs = (span: any) => Object.fromEntries(span.attributes.map((kv: any) => [kv.key, kv.value]));
const spansOf = (server: { requests: Array<{ body: any }> }) =>
  server.requests.flatMap((r) => r.body.resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans)));

describe.concurrent("fault server: hostile values (child process)", () => {
  it("caps a 10 MB input end to end and still delivers the span (gzip)", async () => {
    const server = await faultServer();
    const run = await spawnSdk(
      `${SDK}
       bento.init({ compression: "gzip" }); // loopback is not compressed by default
       let big = "x".repeat(10_000_000);
       bento.trackAi({ event: "huge", input: big, output: { text: "y".repeat(3_000_000) } });
       big = undefined;
       console.log(JSON.stringify({ r: await bento.flush(), stats: bento.stats() }));`,
      server.url,
    ).done;
    await server.stop();
    expect(run.report.stats).toMatchObject({ exported: 1, dropped: {} });
    const a = attrs(spansOf(server)[0]);
    expect(a["input.value"].stringValue).toHaveLength(1_000_000);
    expect(a["input.value"].stringValue.endsWith("…[truncated by bentolabs]")).toBe(true);
    expect(Number(a["input.value.original_length"].intValue)).toBe(10_000_000);
    expect(a["output.value"].stringValue).toHaveLength(1_000_000);
    expect(server.requests[0]!.headers["content-encoding"]).toBe("gzip");
  });

  it("exports cycles, BigInt, NaN and throwing getters without null values or lost spans", async () => {
    const server = await faultServer();
    const run = await spawnSdk(
      `${SDK}
       import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
       const cyc = { a: 1 }; cyc.self = cyc;
       const getter = Object.defineProperty({ ok: 1 }, "bad", { enumerable: true, get() { throw new Error("getter!"); } });
       bento.trackAi({ event: "vals", input: cyc, properties: { big: 2n ** 70n, nan: NaN, inf: Infinity, getter, cyc } });
       bento.begin({ event: "run" }, (t) => { t.toolSpan("tool", { input: getter }).end(); });
       // A foreign instrumentation span with a poisoned attributes object, through BentoLabsSpanProcessor.
       const processor = new bento.BentoLabsSpanProcessor();
       const provider = new BasicTracerProvider({ spanProcessors: [processor] });
       const s = provider.getTracer("foreign").startSpan("foreign", { attributes: { n: NaN } });
       s.end();
       Object.defineProperty(s.attributes, "trap", { enumerable: true, get() { throw new Error("trap!"); } });
       provider.getTracer("foreign").startSpan("foreign-ok").end();
       const results = [await bento.flush(), await processor.flush()];
       console.log(JSON.stringify({ results, a: bento.stats(), b: processor.stats() }));`,
      server.url,
    ).done;
    await server.stop();
    expect(run.code).toBe(0);
    expect(run.report.results).toEqual([
      { ok: true, pending: 0 },
      { ok: true, pending: 0 },
    ]);
    expect(run.report.b).toEqual({ emitted: 2, exported: 2, queued: 0, dropped: {} });
    for (const r of server.requests) expect(r.raw.toString()).not.toMatch(/Value":null/);
    const byName = Object.fromEntries(spansOf(server).map((s: any) => [s.name, attrs(s)]));
    expect(Object.keys(byName).sort()).toEqual(["foreign", "foreign-ok", "run", "tool", "vals"]);
    expect(byName.vals!.big).toEqual({ stringValue: "1180591620717411303424" });
    expect(byName.vals!.nan).toEqual({ stringValue: "NaN" });
    expect(byName.vals!.cyc.stringValue).toContain("[Circular]");
    expect(byName.vals!.getter.stringValue).toContain("[Getter threw");
    expect(byName.foreign!.n).toEqual({ stringValue: "NaN" });
    expect(byName.foreign!.trap.stringValue).toContain("[Getter threw: Error: trap!]");
  });

  it("never prints the sentinel API key, even at debug level across failures", async () => {
    const server = await faultServer((i) => (i % 2 === 0 ? { status: 401 } : { destroy: true }));
    const run = await spawnSdk(
      `${SDK}
       import { inspect } from "node:util";
       bento.init({ maxExportBatchSize: 1, retryInitialDelayMs: 10, maxRetries: 1 });
       for (let i = 0; i < 4; i++) bento.trackAi({ event: "k" + i, properties: { note: "${TEST_KEY}" } });
       await bento.flush();
       const p = new bento.BentoLabsSpanProcessor();
       console.log(inspect(p, { showHidden: true, depth: 10 }), inspect(new bento.BentoLabsTraceExporter(), { depth: 10 }), inspect(bento.stats()));
       try { bento.init({ apiKey: "bl_pk_other_key_123456" }); } catch (e) { console.log(String(e), e.stack); }
       console.log(JSON.stringify(bento.stats()));`,
      server.url,
      { BENTOLABS_LOG_LEVEL: "debug" },
    ).done;
    await server.stop();
    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).not.toContain("bl_pk_other_key_123456");
    expect(run.stderr).toContain("rejected the API key");
  });
});
