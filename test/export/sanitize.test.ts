import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { encode } from "../../src/export/batcher.js";
import { cleanAttributes, estimateBytes, toExportable } from "../../src/export/sanitize.js";

function finished(build: (p: BasicTracerProvider) => void): ReadableSpan[] {
  const mem = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(mem)] });
  build(provider);
  return mem.getFinishedSpans();
}

const decode = (bytes: Uint8Array) => JSON.parse(Buffer.from(bytes).toString("utf8"));

describe("export sanitizing", () => {
  it("never encodes NaN or Infinity as null, in attributes, arrays and events", () => {
    const spans = finished((p) => {
      const s = p.getTracer("t").startSpan("n", { attributes: { nan: NaN, inf: Infinity, arr: [1, NaN, -Infinity], ok: 1.5 } });
      s.addEvent("e", { ev: NaN });
      s.end();
    });
    // The stock encoder writes `"doubleValue": null`, which collectors reject.
    expect(Buffer.from(JsonTraceSerializer.serializeRequest(spans)!).toString()).toContain('"doubleValue":null');
    const body = decode(encode(spans.map((s) => toExportable(s)!), 1e9).chunks[0]!.body);
    const text = JSON.stringify(body);
    expect(text).not.toContain("null");
    const span = body.resourceSpans[0].scopeSpans[0].spans[0];
    const attrs = Object.fromEntries(span.attributes.map((kv: any) => [kv.key, kv.value]));
    expect(attrs.nan).toEqual({ stringValue: "NaN" });
    expect(attrs.inf).toEqual({ stringValue: "Infinity" });
    expect(attrs.arr.arrayValue.values).toEqual([{ stringValue: "1" }, { stringValue: "NaN" }, { stringValue: "-Infinity" }]);
    expect(attrs.ok).toEqual({ doubleValue: 1.5 });
    expect(span.events[0].attributes[0].value).toEqual({ stringValue: "NaN" });
  });

  it("isolates a throwing getter to its key and survives a hostile Proxy", () => {
    const attrs = Object.defineProperty({ fine: "yes", big: 10n }, "bad", { enumerable: true, get() { throw new Error("boom"); } });
    expect(cleanAttributes(attrs)).toEqual({ fine: "yes", big: "10", bad: "[Getter threw: Error: boom]" });
    const proxy = new Proxy({}, { ownKeys() { throw new Error("nope"); } });
    expect(cleanAttributes(proxy)).toEqual({ "bentolabs.attributes_error": "[Unreadable attributes: Error: nope]" });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(cleanAttributes({ cyclic })).toEqual({ cyclic: '{"self":"[Circular]"}' });
  });

  it("does not let one foreign span with poisoned attributes poison its batch", () => {
    const [good] = finished((p) => p.getTracer("t").startSpan("good").end());
    const poisoned = { ...good!, name: "poisoned", spanContext: good!.spanContext, attributes: new Proxy({}, { get() { throw new Error("x"); }, ownKeys() { return ["k"]; }, getOwnPropertyDescriptor() { return { enumerable: true, configurable: true }; } }) } as ReadableSpan;
    const broken = { ...good!, spanContext() { throw new Error("no context"); } } as ReadableSpan;
    expect(() => JsonTraceSerializer.serializeRequest([good!, poisoned])).toThrow();
    const views = [good!, poisoned, broken].map((s) => toExportable(s));
    expect(views[2]).toBeUndefined();
    const body = decode(encode(views.filter((v): v is ReadableSpan => !!v), 1e9).chunks[0]!.body);
    const names = body.resourceSpans[0].scopeSpans[0].spans.map((s: any) => s.name);
    expect(names).toEqual(["good", "poisoned"]);
    expect(estimateBytes(poisoned)).toBeGreaterThan(0);
  });

  it("splits a batch whose body exceeds the byte limit", () => {
    const spans = finished((p) => { for (let i = 0; i < 8; i++) p.getTracer("t").startSpan(`s${i}`, { attributes: { pad: "x".repeat(1000) } }).end(); });
    const enc = encode(spans.map((s) => toExportable(s)!), 3000);
    expect(enc.chunks.length).toBeGreaterThan(2);
    expect(enc.chunks.every((c) => c.body.byteLength <= 3000)).toBe(true);
    expect(enc.chunks.flatMap((c) => c.spans.map((s) => s.name))).toEqual(spans.map((s) => s.name));
    expect(encode(spans.slice(0, 1).map((s) => toExportable(s)!), 500).oversize).toHaveLength(1);
  });
});

describe("sliced encoding", () => {
  it("encodes in slices and merges them into one valid OTLP request under the byte limit", async () => {
    const { encodeSliced } = await import("../../src/export/batcher.js");
    const spans = finished((p) => { for (let i = 0; i < 200; i++) p.getTracer(i % 2 ? "a" : "b").startSpan(`s${i}`, { attributes: { i } }).end(); });
    const views = spans.map((s) => toExportable(s)!);
    const enc = await encodeSliced(views, 1e9, 64);
    expect(enc.chunks).toHaveLength(1);
    const body = decode(enc.chunks[0]!.body);
    const names = body.resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans.map((s: any) => s.name)));
    expect(names.sort()).toEqual(spans.map((s) => s.name).sort());
    expect(enc.chunks[0]!.spans).toHaveLength(200);
    const small = await encodeSliced(views, 20_000, 16);
    expect(small.chunks.length).toBeGreaterThan(1);
    expect(small.chunks.every((c) => c.body.byteLength <= 20_000)).toBe(true);
    expect(small.chunks.flatMap((c) => decode(c.body).resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans))).length).toBe(200);
  });
});
