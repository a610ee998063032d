import { afterEach, describe, expect, it } from "vitest";
import { type ImportDeps, runImport } from "../../src/sync/importer.js";
import { MemorySpanSink } from "../../src/sync/sink.js";
import type { MemorySyncStore } from "../../src/sync/store.js";
import type { StoredCredential } from "../../src/sync/types.js";
import { type FakeLangfuse, faults } from "./fake-langfuse.js";
import { credentialFor, DATASET_NOW, recordingSleep, SETTINGS, startFake, storeWith, WINDOW } from "./helpers.js";

const T6 = "3b9f2c6e-71d4-4a85-b0e2-9c4d7f1a6e53";
const T7 = "5d2e8a0c7f1b4396e4a8c2d0b7f5e913";
const MIN = 60_000;

describe("importer against the fake Langfuse", () => {
  let fake: FakeLangfuse;
  let cred: StoredCredential;
  let store: MemorySyncStore;
  let sink: MemorySpanSink;
  let now = DATASET_NOW;
  const sleeper = recordingSleep();

  async function setup(mode: FakeLangfuse["mode"] = "cloud") {
    fake = await startFake(mode);
    cred = credentialFor(fake);
    store = await storeWith(cred);
    sink = new MemorySpanSink();
    now = DATASET_NOW;
    sleeper.waits.length = 0;
  }
  const deps = (extra: Partial<ImportDeps> = {}): ImportDeps => ({
    store,
    sink,
    now: () => now,
    window: WINDOW,
    pageSize: { v2: 4, v1: 3 },
    client: { sleep: sleeper.sleep, random: () => 0.5 },
    ...extra,
  });
  afterEach(() => fake.close());

  it("imports every trace with observations through v2, following the cursor across pages", async () => {
    await setup();
    const report = await runImport(cred, SETTINGS, deps());
    expect(report).toMatchObject({ status: "ok", created: 6, updated: 0, skipped: 0, failed: 0, api_version: "v2", spans_upserted: 20 });
    expect(sink.spans.size).toBe(20);
    const v2 = fake.requests.filter((r) => r.route === "v2");
    expect(v2.some((r) => r.query.get("cursor"))).toBe(true);
    expect(v2.every((r) => r.query.get("fromStartTime") && r.query.get("toStartTime") && r.query.get("fields")?.includes("io"))).toBe(true);
    expect(fake.count("traces")).toBe(0);
    const state = await store.getState(cred.id);
    expect(state).toMatchObject({ status: "ok", api_version: "v2", watermark: new Date(now - 2 * MIN).toISOString() });
  });

  it("falls back to v1 when v2 answers the self-hosted v3 404, and maps all seven traces", async () => {
    await setup("self-hosted-v3");
    const report = await runImport(cred, SETTINGS, deps());
    expect(report).toMatchObject({ status: "ok", created: 7, failed: 0, api_version: "v1", spans_upserted: 21 });
    expect(fake.requests.filter((r) => r.route === "traces").map((r) => r.query.get("page"))).toContain("2");
    const root = sink.span("a7f3c91e2b6d4058")!;
    expect(root.attributes).toMatchObject({
      "openinference.span.kind": "chain",
      "gen_ai.user.id": "user_8841",
      "langfuse.tags": ["production", "support"],
    });
    expect(root.attributes_json["langfuse.scores"]).toHaveLength(2);
    expect(sink.span("836a5c604052d2ab")!.attributes_json["langfuse.synthetic_root"]).toBe(true);
  });

  it("reads v1 only for v1-capable deployments and v2 on v4 (whose v1 routes 404)", async () => {
    await setup("self-hosted-v4");
    const report = await runImport(cred, SETTINGS, deps());
    expect(report).toMatchObject({ status: "ok", created: 6, api_version: "v2" });
    expect(fake.count("traces")).toBe(0);
  });

  it("remembers the v1 fallback, and returns to v2 when the deployment upgrades to v4", async () => {
    await setup("self-hosted-v3");
    expect((await runImport(cred, SETTINGS, deps())).api_version).toBe("v1");
    const v2Probes = fake.count("v2");
    now += 15 * MIN;
    expect((await runImport(cred, SETTINGS, deps())).api_version).toBe("v1");
    expect(fake.count("v2")).toBe(v2Probes);
    fake.mode = "self-hosted-v4";
    now += 15 * MIN;
    const upgraded = await runImport(cred, SETTINGS, deps());
    expect(upgraded).toMatchObject({ status: "ok", api_version: "v2", failed: 0 });
  });

  it("de-duplicates repeated v2 rows", async () => {
    await setup();
    for (const id of ["f20d6b8e3a95c147", "1a8e4c6f0d3b7259", "6b2f9d0e4a7c1853"]) fake.duplicateV2.add(id);
    const report = await runImport(cred, SETTINGS, deps());
    expect(report).toMatchObject({ status: "ok", created: 6, spans_upserted: 20 });
    expect(sink.spans.size).toBe(20);
  });

  it("skips unchanged traces on the overlapping re-scan instead of rewriting them", async () => {
    await setup();
    await runImport(cred, SETTINGS, deps());
    now += 20 * MIN;
    const writes = sink.writes;
    const again = await runImport(cred, SETTINGS, { ...deps(), window: { ...WINDOW, overlapMs: 6 * 60 * MIN } });
    expect(again).toMatchObject({ status: "ok", created: 0, updated: 0, skipped: 6 });
    expect(sink.writes).toBe(writes);
  });

  for (const mode of ["cloud", "self-hosted-v3"] as const) {
    it(`updates a trace whose output and cost arrive between two syncs, without duplicating it (${mode})`, async () => {
      await setup(mode);
      const trace = fake.data.trace(T7)!;
      const agent = fake.data.observations[T7]!.find((o) => o.id === "1a8e4c6f0d3b7259")!;
      const answer = fake.data.observations[T7]!.find((o) => o.id === "f8c1b7a2e06d4395")!;
      const complete = { trace: { ...trace }, agent: { ...agent }, answer: { ...answer } };
      fake.data.patchTrace(T7, { output: null, totalCost: 0.000568, updatedAt: "2026-08-20T13:22:10.500Z" });
      fake.data.patchObservation(T7, "1a8e4c6f0d3b7259", { output: null });
      fake.data.patchObservation(T7, "f8c1b7a2e06d4395", {
        output: null,
        costDetails: {},
        calculatedTotalCost: 0,
        calculatedInputCost: null,
        calculatedOutputCost: null,
      });

      const first = await runImport(cred, SETTINGS, deps());
      expect(first.status).toBe("ok");
      expect(sink.span("f8c1b7a2e06d4395")!.attributes["llm.cost.total"]).toBeUndefined();
      expect(sink.span("1a8e4c6f0d3b7259")!.attributes["output.value"]).toBeUndefined();
      const spansBefore = sink.spans.size;

      fake.data.patchTrace(T7, complete.trace);
      fake.data.patchObservation(T7, "1a8e4c6f0d3b7259", complete.agent);
      fake.data.patchObservation(T7, "f8c1b7a2e06d4395", complete.answer);
      now += 15 * MIN;
      const second = await runImport(cred, SETTINGS, { ...deps(), window: { ...WINDOW, overlapMs: 60 * MIN } });
      expect(second).toMatchObject({ status: "ok", created: 0, updated: 1, failed: 0 });
      expect(sink.spans.size).toBe(spansBefore);
      expect(sink.span("f8c1b7a2e06d4395")!.attributes["llm.cost.total"]).toBe(0.000902);
      expect(sink.span("1a8e4c6f0d3b7259")!.attributes["output.value"]).toContain("light rain");
    });
  }

  it("stores an open span and closes it when a later sync sees its end time", async () => {
    await setup("self-hosted-v3");
    await runImport(cred, SETTINGS, deps());
    const rootSpanId = "e675f4d23e8ac874";
    expect(sink.span(rootSpanId)!.end_time).toBeNull();
    fake.data.patchObservation(T6, "6f1e3a9c-0b7d-4e25-8a64-d2c9f0b1e7a3", {
      endTime: "2026-08-20T12:05:34.640Z",
      updatedAt: "2026-08-20T12:20:00.000Z",
    });
    fake.data.patchTrace(T6, { updatedAt: "2026-08-20T12:20:00.000Z" });
    now += 15 * MIN;
    const second = await runImport(cred, SETTINGS, { ...deps(), window: { ...WINDOW, overlapMs: 3 * 60 * MIN } });
    expect(second).toMatchObject({ updated: 1, created: 0 });
    expect(sink.span(rootSpanId)!.end_time).toBe("2026-08-20T12:05:34.640Z");
    expect(fake.requests.filter((r) => r.route === "trace").length).toBe(8); // 7 details, then only T6's again
  });

  for (const [variant, fault, wait] of [
    ["JSON", faults.rateLimitedJson("12"), 12_000],
    ["text", faults.rateLimitedText("37"), 37_000],
  ] as const) {
    it(`honours 429 Retry-After (${variant} body) mid-import and still completes`, async () => {
      await setup();
      fake.fail("v2", fault);
      const report = await runImport(cred, SETTINGS, deps());
      expect(report).toMatchObject({ status: "ok", created: 6 });
      expect(sleeper.waits).toContain(wait);
    });
  }

  it("fails the run without moving the watermark when Langfuse keeps answering 5xx", async () => {
    await setup();
    fake.fail("v2", faults.serverError(), 10);
    const report = await runImport(cred, SETTINGS, deps());
    expect(report.status).toBe("fail");
    expect(report.errors[0]!.message).toContain("HTTP 500");
    expect(sleeper.waits).toEqual([1000, 2000, 4000]);
    expect((await store.getState(cred.id))!.watermark).toBeNull();
  });

  it("fails with the 401 reason when the keys are wrong, never echoing the secret", async () => {
    await setup();
    const bad = { ...cred, config: { ...cred.config, secret_key: "sk-lf-rotated-away-secret" } };
    const report = await runImport(bad, SETTINGS, deps());
    expect(report).toMatchObject({ status: "fail", created: 0 });
    expect(report.errors[0]!.message).toContain("HTTP 401");
    expect(JSON.stringify(report)).not.toContain("sk-lf-rotated-away-secret");
  });

  it("stops at max_traces_per_sync and continues from there on the next run", async () => {
    await setup("self-hosted-v3");
    const limited = { ...SETTINGS, max_traces_per_sync: 3 };
    const first = await runImport(cred, limited, deps());
    expect(first).toMatchObject({ status: "ok", created: 3 });
    expect(first.errors[0]!.message).toContain("max_traces_per_sync (3) reached");
    now += 15 * MIN;
    const second = await runImport(cred, limited, { ...deps(), window: { ...WINDOW, overlapMs: 0 } });
    expect(second.created).toBe(3);
    now += 15 * MIN;
    const third = await runImport(cred, limited, { ...deps(), window: { ...WINDOW, overlapMs: 0 } });
    expect(third.created).toBe(1);
    expect(sink.traceIds()).toHaveLength(7);
  });

  it("halves a v2 window holding more traces than the run may take, importing the oldest first", async () => {
    await setup();
    const limited = { ...SETTINGS, max_traces_per_sync: 3 };
    const first = await runImport(cred, limited, deps());
    expect(first).toMatchObject({ status: "ok", created: 3, api_version: "v2" });
    expect(sink.traceIds()).toEqual(
      ["4f1c2a9e8b7d6c5e3a2f1b0c9d8e7f6a", "9b3e71d04c5a2f86e1d7b0a3c6f42e58", "e27c5f1a9d3b48c6a0f7e2d15b8c9a34"].sort(),
    );
    // the 07:58–13:58 slice was halved: the older half (3 traces) done, the run stopped at the boundary
    expect((await store.getState(cred.id))!.watermark).toBe("2026-08-20T10:58:00.000Z");
    now += 15 * MIN;
    const second = await runImport(cred, limited, { ...deps(), window: { ...WINDOW, overlapMs: 0 } });
    expect(second).toMatchObject({ status: "ok", created: 3 });
    expect(sink.traceIds()).toHaveLength(6);
  });

  it("writes the report before it records the run as finished, so a finished status always has its report", async () => {
    await setup();
    const order: string[] = [];
    const putState = store.putState.bind(store);
    const addReport = store.addReport.bind(store);
    store.putState = async (s) => {
      order.push(`state:${s.status}`);
      return putState(s);
    };
    store.addReport = async (r) => {
      order.push("report");
      return addReport(r);
    };
    await runImport(cred, SETTINGS, deps());
    expect(order).toEqual(["state:running", "report", "state:ok"]);
  });

  it("never replaces a stored trace with a poorer read (a root Langfuse no longer returns)", async () => {
    await setup();
    await runImport(cred, SETTINGS, deps());
    const stored = [...sink.spans.values()].filter((s) => s.trace_id === T7).length;
    const [root, ...children] = fake.data.observations[T7]!;
    fake.data.observations[T7] = children; // e.g. a retention job took the root row
    now += 15 * MIN;
    const again = await runImport(cred, SETTINGS, { ...deps(), window: { ...WINDOW, overlapMs: 6 * 60 * MIN } });
    expect(again).toMatchObject({ status: "ok", created: 0, updated: 0, failed: 0 });
    expect([...sink.spans.values()].filter((s) => s.trace_id === T7)).toHaveLength(stored);
    expect(sink.span(String(root!.id))!.attributes_json["langfuse.synthetic_root"]).toBeUndefined();
  });

  it("asks v2 for the whole value of metadata cut at 200 characters, and only for pages that need it", async () => {
    await setup();
    const long = `${"x".repeat(199)}🙂${"y".repeat(50)}`;
    fake.data.patchObservation(T7, "f8c1b7a2e06d4395", { metadata: { note: long, short: "s" } });
    await runImport(cred, SETTINGS, deps());
    expect(sink.span("f8c1b7a2e06d4395")!.attributes.note).toBe(long);
    const expanded = fake.requests.filter((r) => r.route === "v2" && r.query.has("expandMetadata"));
    expect(expanded.map((r) => r.query.get("expandMetadata"))).toEqual(expanded.map(() => "note"));
    expect(expanded.length).toBeGreaterThan(0);
    expect(expanded.length).toBeLessThan(fake.count("v2") / 2);
  });

  it("re-reads a v1 trace with a still-open span even when its list item did not move", async () => {
    await setup("self-hosted-v3");
    await runImport(cred, SETTINGS, deps());
    const details = fake.count("trace");
    now += 15 * MIN;
    await runImport(cred, SETTINGS, { ...deps(), window: { ...WINDOW, overlapMs: 6 * 60 * MIN } });
    // only T6 (its root span is open) is read again; its EVENT without an end time does not count as open
    expect(
      fake.requests
        .filter((r) => r.route === "trace")
        .slice(details)
        .map((r) => decodeURIComponent(r.path.split("/").pop()!)),
    ).toEqual([T6]);
  });

  it("records partial when some traces cannot be stored", async () => {
    await setup();
    const flaky = new MemorySpanSink();
    const upsert = flaky.upsert.bind(flaky);
    flaky.upsert = async (spans, origin) => {
      if (spans.some((s) => s.trace_id === "c1a7e5930bd24f68a9e3517d2c0b8f46")) throw new Error("disk full");
      return upsert(spans, origin);
    };
    const report = await runImport(cred, SETTINGS, deps({ sink: flaky }));
    expect(report).toMatchObject({ status: "partial", created: 5, failed: 1 });
    expect(report.errors).toContainEqual({ message: "could not store trace: disk full", trace_id: "c1a7e5930bd24f68a9e3517d2c0b8f46" });
  });
});
