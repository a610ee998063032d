import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { isTracingSuppressed } from "@opentelemetry/core";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultDeps } from "../../src/export/exporter.js";
import { createFetchTransport } from "../../src/export/fetch-transport.js";
import { createExportPipeline } from "../../src/export/pipeline.js";

// The edge build's transport, run here on Node's own fetch against real local servers. What it
// shares with the node:http transport is tested for both in transport.test.ts; here, its own.
describe("fetch transport", () => {
  it("runs the request with tracing suppressed", async () => {
    const manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    const server = createServer((req, res) => {
      req.resume();
      res.end("{}");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const seen: boolean[] = [];
    const transport = createFetchTransport((input, init) => {
      seen.push(isTracingSuppressed(context.active()));
      return fetch(input, init);
    });
    try {
      const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`);
      await transport.send({ url, headers: {}, body: new Uint8Array(0), timeoutMs: 2000, maxResponseBytes: 1024 });
      expect(seen).toEqual([true]);
    } finally {
      transport.close();
      context.disable();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe("export pipeline over the fetch transport", () => {
  let attempts: Array<{ encoding: string | undefined; spans: number }> = [];
  let failFirst = 0;
  let url = "";
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let body = Buffer.concat(chunks);
      if (req.headers["content-encoding"] === "gzip") body = gunzipSync(body);
      const spans = (JSON.parse(body.toString("utf8")).resourceSpans as any[]).flatMap((r) =>
        r.scopeSpans.flatMap((s: any) => s.spans),
      ).length;
      attempts.push({ encoding: req.headers["content-encoding"], spans });
      if (failFirst-- > 0) {
        res.writeHead(429, { "retry-after": "1" });
        return res.end();
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  beforeAll(async () => {
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

  it("honours Retry-After, gzips large bodies and counts only what was stored", async () => {
    attempts = [];
    failFirst = 1;
    const pipeline = createExportPipeline(
      { apiKey: "bl_pk_fetch_test_key", baseUrl: url, gzipThresholdBytes: 100, compression: "gzip" },
      { ...defaultDeps(), transport: createFetchTransport() },
    );
    const provider = new BasicTracerProvider({ spanProcessors: [pipeline] });
    const tracer = provider.getTracer("t");
    for (let i = 0; i < 5; i++) tracer.startSpan(`s${i}`, { attributes: { pad: "x".repeat(200) } }).end();
    const started = Date.now();
    const result = await pipeline.flush({ timeoutMs: 5000 });
    expect(result).toEqual({ ok: true, pending: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900); // waited the 1 s Retry-After
    expect(attempts).toEqual([
      { encoding: "gzip", spans: 5 },
      { encoding: "gzip", spans: 5 },
    ]);
    expect(pipeline.stats()).toMatchObject({ emitted: 5, exported: 5, queued: 0, dropped: {} });
    await pipeline.close();
  });
});
