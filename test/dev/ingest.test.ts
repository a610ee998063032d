import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../../src/dev/index.js";
import { freshDataDir, getJson, otlpBody, otlpSpan, postTraces, spanId, traceId } from "./helpers.js";

const LIMIT = 64 * 1024;
let server: DevServer;

beforeAll(async () => {
  server = await startDevServer({ dataDir: await freshDataDir(), maxBodyBytes: LIMIT });
});
afterAll(() => server?.close());

describe("POST /v1/traces", () => {
  it("stores a plain JSON batch and answers with an empty OTLP response", async () => {
    const res = await postTraces(
      server,
      otlpBody([otlpSpan({ trace: 1, span: 1, name: "plain", attrs: { "gen_ai.request.model": "gpt-4o" } })]),
    );
    expect(res).toEqual({ status: 200, body: {} });
    const span = await getJson(server, `/spans/${spanId(1)}`);
    expect(span.body).toMatchObject({ trace_id: traceId(1), name: "plain", model: "gpt-4o", source: "push" });
  });

  it("accepts gzip-encoded bodies", async () => {
    const res = await postTraces(server, otlpBody([otlpSpan({ trace: 2, span: 2, name: "zipped" })]), { gzip: true });
    expect(res.status).toBe(200);
    expect((await getJson(server, `/spans/${spanId(2)}`)).body.name).toBe("zipped");
  });

  it("never duplicates a re-sent batch, and the last copy wins", async () => {
    const batch = (output: string) =>
      otlpBody([
        otlpSpan({ trace: 3, span: 30, name: "root" }),
        otlpSpan({ trace: 3, span: 31, parent: 30, name: "child", attrs: { "output.value": output } }),
      ]);
    for (let i = 0; i < 3; i++) expect((await postTraces(server, batch("first"))).status).toBe(200);
    await postTraces(server, batch("second"));
    const spans = await getJson(server, `/traces/${traceId(3)}/spans`);
    expect(spans.body.items.map((s: { name: string }) => s.name)).toEqual(["root", "child"]);
    expect(spans.body.items[1].output).toBe("second");
    expect((await getJson(server, `/traces/${traceId(3)}`)).body.span_count).toBe(2);
  });

  it("keeps one copy of a span repeated within a single batch", async () => {
    const s = otlpSpan({ trace: 4, span: 40 });
    expect((await postTraces(server, otlpBody([s, s, s]))).status).toBe(200);
    expect((await getJson(server, `/traces/${traceId(4)}/spans`)).body.items).toHaveLength(1);
  });

  it("reports malformed spans as a partial success and stores the rest", async () => {
    const bad = { ...otlpSpan({ trace: 5, span: 51 }), traceId: "nothex" };
    const res = await postTraces(server, otlpBody([otlpSpan({ trace: 5, span: 50 }), bad]));
    expect(res.status).toBe(200);
    expect(res.body.partialSuccess.rejectedSpans).toBe("1");
    expect(res.body.partialSuccess.errorMessage).toContain("spans[1].traceId is not a 16-byte id");
    expect((await getJson(server, `/spans/${spanId(50)}`)).status).toBe(200);
  });
});

describe("ingest errors", () => {
  it("answers 401 with a JSON error when the key is missing, malformed or wrong", async () => {
    for (const authorization of [undefined, "Basic abc", "Bearer bl_pk_dev_wrong"]) {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (authorization) headers.authorization = authorization;
      const res = await fetch(`${server.url}/v1/traces`, { method: "POST", headers, body: "{}" });
      expect(res.status).toBe(401);
      const body = (await res.json()) as { error: string; message: string };
      expect(body.error).toBe("unauthorized");
      expect(body.message).toMatch(/Bearer|API key/);
      expect(JSON.stringify(body)).not.toContain(server.apiKey);
    }
  });

  it("answers 415 for protobuf, saying JSON is required", async () => {
    const res = await postTraces(server, undefined, { raw: "\x0a\x00", headers: { "content-type": "application/x-protobuf" } });
    expect(res.status).toBe(415);
    expect(res.body.message).toContain("requires OTLP/HTTP JSON");
  });

  it("answers 400 naming the problem for malformed JSON and bad shapes", async () => {
    const broken = await postTraces(server, undefined, { raw: "{not json" });
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ error: "invalid_json" });
    const shape = await postTraces(server, { resourceSpans: [{ scopeSpans: "nope" }] });
    expect(shape.status).toBe(400);
    expect(shape.body.message).toContain("resourceSpans[0].scopeSpans is not an array");
    const allBad = await postTraces(server, otlpBody([{ ...otlpSpan({ trace: 6, span: 60 }), startTimeUnixNano: "yesterday" }]));
    expect(allBad.status).toBe(400);
    expect(allBad.body.message).toContain("startTimeUnixNano is not a unix time in nanoseconds");
    const badGzip = await postTraces(server, undefined, { raw: "not gzip", headers: { "content-encoding": "gzip" } });
    expect(badGzip.status).toBe(400);
  });

  it("answers 413 for bodies over the limit, compressed or after decompression", async () => {
    const big = "x".repeat(LIMIT + 1);
    const plain = await postTraces(server, undefined, { raw: big });
    expect(plain.status).toBe(413);
    expect(plain.body.error).toBe("payload_too_large");
    const bomb = gzipSync(Buffer.alloc(LIMIT * 20, 0x20));
    expect(bomb.length).toBeLessThan(LIMIT);
    const inflated = await postTraces(server, undefined, { raw: bomb, headers: { "content-encoding": "gzip" } });
    expect(inflated.status).toBe(413);
  });

  it("answers 404 for unknown routes and 405 for wrong methods", async () => {
    expect((await getJson(server, "/nope")).status).toBe(404);
    const res = await fetch(`${server.url}/v1/traces`, { headers: { authorization: `Bearer ${server.apiKey}` } });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });
});
