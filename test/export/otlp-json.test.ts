import { TraceState } from "@opentelemetry/core";
import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { encodeSpan, requestBody } from "../../src/export/otlp-json.js";

/** A small deterministic PRNG so a failure names its seed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEXTS = [
  "",
  "plain",
  'quote " and \\ backslash',
  "line\nbreak\ttab",
  "ünïcödé ✓ 日本語",
  "emoji 🙂 pair",
  "\u0000\u001f control",
  "</script>",
];

function randomSpans(seed: number, n: number): ReadableSpan[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const hex = (len: number) => Array.from({ length: len }, () => Math.floor(r() * 16).toString(16)).join("");
  const scalar = (): unknown =>
    pick([
      () => pick(TEXTS),
      () => Math.floor(r() * 1e6) - 5e5,
      () => r() * 1000 - 500,
      () => r() < 0.5,
      () => 2 ** 53 - 1,
      () => 1e21,
      () => -0.5,
    ])();
  const value = (): unknown => {
    const k = r();
    if (k < 0.6) return scalar();
    if (k < 0.75) return Array.from({ length: Math.floor(r() * 4) }, () => pick(TEXTS));
    if (k < 0.85) return Array.from({ length: Math.floor(r() * 4) }, () => Math.floor(r() * 100));
    if (k < 0.9) return [true, false];
    if (k < 0.95) return new Uint8Array([1, 2, 250, Math.floor(r() * 255)]);
    return [1.5, 2, 3.25];
  };
  const attrs = () => Object.fromEntries(Array.from({ length: Math.floor(r() * 8) }, (_, i) => [`k${i}.${pick(TEXTS)}`, value()]));
  const resources = [resourceFromAttributes({ "service.name": "a", n: 1 }), resourceFromAttributes({ "service.name": "b ✓" })];
  const scopes = [
    { name: "@bentolabs/sdk", version: "1.0.0" },
    { name: "other" },
    { name: "schema", version: "2", schemaUrl: "https://x/y" },
  ];
  const time = (): [number, number] => [1_700_000_000 + Math.floor(r() * 1e6), Math.floor(r() * 1e9)];
  return Array.from({ length: n }, () => {
    const traceId = hex(32);
    const spanId = hex(16);
    const parent = r() < 0.7 ? { traceId, spanId: hex(16), traceFlags: 1, isRemote: r() < 0.3 } : undefined;
    const traceState = r() < 0.2 ? new TraceState("a=1,b=2") : undefined;
    const start = time();
    const traceFlags = r() < 0.9 ? 1 : 0;
    return {
      name: pick(TEXTS) || "span",
      kind: Math.floor(r() * 5),
      spanContext: () => ({ traceId, spanId, traceFlags, traceState }),
      parentSpanContext: parent,
      startTime: start,
      endTime: [start[0] + 1, start[1]],
      duration: [1, 0],
      status: r() < 0.3 ? { code: 2, message: pick(TEXTS) } : { code: Math.floor(r() * 2) },
      attributes: attrs(),
      links:
        r() < 0.2
          ? [
              {
                context: { traceId: hex(32), spanId: hex(16), traceFlags: 1, isRemote: r() < 0.5 },
                attributes: attrs(),
                droppedAttributesCount: 0,
              },
            ]
          : [],
      events: Array.from({ length: Math.floor(r() * 3) }, () => ({
        name: pick(TEXTS),
        time: time(),
        attributes: r() < 0.8 ? attrs() : undefined,
      })),
      ended: true,
      resource: pick(resources),
      instrumentationScope: pick(scopes),
      droppedAttributesCount: Math.floor(r() * 3),
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    } as unknown as ReadableSpan;
  });
}

const stock = (spans: ReadableSpan[]) => JSON.parse(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans)));
const ours = (spans: ReadableSpan[]) => JSON.parse(requestBody(spans.map((s) => encodeSpan(s)!)).toString("utf8"));

describe("OTLP JSON encoder", () => {
  it("decodes to exactly what OpenTelemetry's JSON serializer produces, on random spans", () => {
    for (let seed = 1; seed <= 200; seed++) {
      const spans = randomSpans(seed, 1 + (seed % 17));
      expect(ours(spans), `seed ${seed}`).toEqual(stock(spans));
    }
  });

  it("stays exact for large and multi-byte spans, in any subset or order", () => {
    const spans = randomSpans(99, 160).map((span, i) => {
      // 160 × ~40 KB of mostly 3-byte characters; every 25th span is over 400 KB
      const big = "日本語✓ü".repeat(i % 25 === 0 ? 70_000 : 2_000 + i * 37);
      return { ...span, spanContext: span.spanContext, attributes: { ...span.attributes, "input.value": big } } as ReadableSpan;
    });
    const encoded = spans.map((s) => encodeSpan(s)!);
    const body = (idx: number[]) => JSON.parse(requestBody(idx.map((i) => encoded[i]!)).toString("utf8"));
    const all = spans.map((_, i) => i);
    expect(body(all)).toEqual(stock(spans));
    const odd = all.filter((i) => i % 2 === 1);
    expect(body(odd)).toEqual(stock(odd.map((i) => spans[i]!)));
    const reversed = [...all].reverse();
    expect(body(reversed)).toEqual(stock(reversed.map((i) => spans[i]!)));
  });

  it("encodes real SDK spans identically, timestamps included", async () => {
    const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = await import("@opentelemetry/sdk-trace-base");
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const tracer = provider.getTracer("t", "1");
    const root = tracer.startSpan("root", { attributes: { a: 1, b: "x", c: [1, 2], d: 0.5 } });
    root.addEvent("e", { k: "v" });
    root.recordException(new Error("boom"));
    root.end();
    tracer.startSpan("second", { startTime: [0, 5] }).end([0, 999_999_999]);
    const spans = exporter.getFinishedSpans();
    expect(ours(spans)).toEqual(stock(spans));
  });

  it("writes timestamps as exact decimal nanoseconds", () => {
    const [span] = randomSpans(7, 1);
    const s = { ...span!, spanContext: span!.spanContext, startTime: [1_733_400_000, 5], endTime: [0, 7] } as ReadableSpan;
    const body = ours([s]);
    const out = body.resourceSpans[0].scopeSpans[0].spans[0];
    expect(out.startTimeUnixNano).toBe("1733400000000000005");
    expect(out.endTimeUnixNano).toBe("7");
  });
});
