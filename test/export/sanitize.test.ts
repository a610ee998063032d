import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { chunksOf, prepareSpan } from "../../src/export/exporter.js";
import { encodeSpan, requestBody } from "../../src/export/otlp-json.js";
import { cleanAttributes, estimateBytes, toExportable } from "../../src/export/sanitize.js";

function finished(build: (p: BasicTracerProvider) => void): ReadableSpan[] {
  const mem = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(mem)] });
  build(provider);
  return mem.getFinishedSpans();
}

const decode = (bytes: Uint8Array) => JSON.parse(Buffer.from(bytes).toString("utf8"));
const encodeAll = (views: ReadableSpan[]) => requestBody(views.map((v) => encodeSpan(v)!));

describe("export sanitizing", () => {
  it("never encodes NaN or Infinity as null, in attributes, arrays and events", () => {
    const spans = finished((p) => {
      const s = p.getTracer("t").startSpan("n", { attributes: { nan: NaN, inf: Infinity, arr: [1, NaN, -Infinity], ok: 1.5 } });
      s.addEvent("e", { ev: NaN });
      s.end();
    });
    // The stock encoder writes `"doubleValue": null`, which collectors reject.
    expect(Buffer.from(JsonTraceSerializer.serializeRequest(spans)!).toString()).toContain('"doubleValue":null');
    const body = decode(encodeAll(spans.map((s) => toExportable(s)!)));
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
    const attrs = Object.defineProperty({ fine: "yes", big: 10n }, "bad", {
      enumerable: true,
      get() {
        throw new Error("boom");
      },
    });
    expect(cleanAttributes(attrs)).toEqual({ fine: "yes", big: "10", bad: "[Getter threw: Error: boom]" });
    const proxy = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error("nope");
        },
      },
    );
    expect(cleanAttributes(proxy)).toEqual({ "bentolabs.attributes_error": "[Unreadable attributes: Error: nope]" });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(cleanAttributes({ cyclic })).toEqual({ cyclic: '{"self":"[Circular]"}' });
  });

  it("does not let one foreign span with poisoned attributes poison its batch", () => {
    const [good] = finished((p) => p.getTracer("t").startSpan("good").end());
    const poisoned = {
      ...good!,
      name: "poisoned",
      spanContext: good!.spanContext,
      attributes: new Proxy(
        {},
        {
          get() {
            throw new Error("x");
          },
          ownKeys() {
            return ["k"];
          },
          getOwnPropertyDescriptor() {
            return { enumerable: true, configurable: true };
          },
        },
      ),
    } as ReadableSpan;
    const broken = {
      ...good!,
      spanContext() {
        throw new Error("no context");
      },
    } as ReadableSpan;
    expect(() => JsonTraceSerializer.serializeRequest([good!, poisoned])).toThrow();
    const views = [good!, poisoned, broken].map((s) => toExportable(s));
    expect(views[2]).toBeUndefined();
    const body = decode(encodeAll(views.filter((v): v is ReadableSpan => !!v)));
    const names = body.resourceSpans[0].scopeSpans[0].spans.map((s: any) => s.name);
    expect(names).toEqual(["good", "poisoned"]);
    expect(estimateBytes(poisoned)).toBeGreaterThan(0);
  });

  it("splits a batch whose body exceeds the byte limit", () => {
    const spans = finished((p) => {
      for (let i = 0; i < 8; i++)
        p.getTracer("t")
          .startSpan(`s${i}`, { attributes: { pad: "x".repeat(1000) } })
          .end();
    });
    const { chunks, oversize } = chunksOf(
      spans.map((s) => encodeSpan(s)!),
      3000,
      false,
    );
    expect(chunks.length).toBeGreaterThan(2);
    expect(oversize).toHaveLength(0);
    expect(chunks.every((c) => c.body.byteLength <= 3000)).toBe(true);
    expect(chunks.flatMap((c) => decode(c.body).resourceSpans[0].scopeSpans[0].spans.map((s: any) => s.name))).toEqual(
      spans.map((s) => s.name),
    );
    expect(chunksOf([encodeSpan(spans[0]!)!], 500, false).oversize).toHaveLength(1);
  });

  it("prepares an oversize span without its input/output, and counts one that still does not fit", () => {
    const [big, huge] = finished((p) => {
      p.getTracer("t")
        .startSpan("big", { attributes: { "input.value": "i".repeat(50_000), keep: "k" } })
        .end();
      p.getTracer("t")
        .startSpan("huge", { attributes: { pad: "p".repeat(50_000) } })
        .end();
    });
    const bare = prepareSpan(big!, 20_000);
    expect(typeof bare).toBe("object");
    const attrs = JSON.parse((bare as { bytes: Buffer }).bytes.toString()).attributes;
    expect(attrs).toContainEqual({ key: "input.value", value: { stringValue: "[removed by bentolabs: span too large to export]" } });
    expect(attrs).toContainEqual({ key: "keep", value: { stringValue: "k" } });
    expect(prepareSpan(huge!, 20_000)).toBe("too_large");
  });
});
