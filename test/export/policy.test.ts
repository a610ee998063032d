import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { createExporter, type ExporterDeps } from "../../src/export/exporter.js";
import type { SendResult } from "../../src/export/transport.js";
import { TEST_KEY } from "../helpers/receiver.js";

/** A scripted transport and a virtual clock: the default (real-seconds) policy, checked instantly. */
function scripted(responses: Array<SendResult | ((now: number) => SendResult)>) {
  let now = Date.parse("2026-01-01T00:00:00Z");
  const sent: number[] = [];
  const waits: number[] = [];
  const deps: ExporterDeps = {
    now: () => now,
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
    transport: {
      send: async () => {
        sent.push(now);
        const r = responses[Math.min(sent.length - 1, responses.length - 1)]!;
        return typeof r === "function" ? r(now) : r;
      },
      close() {},
    },
  };
  return { deps, sent, waits };
}

const status = (s: number, retryAfter?: string): SendResult => ({
  kind: "response",
  status: s,
  retryAfter,
  body: Buffer.from("{}"),
  complete: true,
});
const refused: SendResult = { kind: "error", reason: "network", message: "ECONNREFUSED" };

function spans(n: number): ReadableSpan[] {
  const mem = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(mem)] });
  for (let i = 0; i < n; i++) provider.getTracer("t").startSpan(`s${i}`).end();
  return mem.getFinishedSpans();
}

const config = { apiKey: TEST_KEY, baseUrl: "https://bento.example" };

describe("retry policy with default timings (virtual clock)", () => {
  it("backs off 1 s, 2 s, 4 s, 8 s and drops when the 30 s budget would be exceeded", async () => {
    const { deps, sent, waits } = scripted([refused]);
    const out = await createExporter(config, deps).deliver(spans(3));
    expect(waits).toEqual([1000, 2000, 4000, 8000]);
    expect(sent).toHaveLength(5);
    expect(out).toEqual({ exported: 0, dropped: { retry_exhausted: 3 } });
  });

  it("gives up after 5 retries even when the budget allows more", async () => {
    const { deps, sent } = scripted([status(503, "1")]);
    const out = await createExporter(config, deps).deliver(spans(1));
    expect(sent).toHaveLength(6);
    expect(out.dropped).toEqual({ retry_exhausted: 1 });
  });

  it("pauses for a Retry-After HTTP-date beyond the budget, then delivers", async () => {
    const { deps, waits } = scripted([(now) => status(429, new Date(now + 120_000).toUTCString()), status(200)]);
    const out = await createExporter(config, deps).deliver(spans(2));
    expect(waits).toEqual([120_000]);
    expect(out).toEqual({ exported: 2, dropped: {} });
  });

  it("caps Retry-After at 300 s and floors it at 100 ms", async () => {
    const { deps, waits } = scripted([status(503, "86400"), status(503, "0"), status(200)]);
    await createExporter(config, deps).deliver(spans(1));
    expect(waits).toEqual([300_000, 100]);
  });
});
