import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SyncServiceError } from "../../src/sync/errors.js";
import { runImport } from "../../src/sync/importer.js";
import { SyncService } from "../../src/sync/service.js";
import { MemorySpanSink } from "../../src/sync/sink.js";
import { DEFAULT_SETTINGS, MemorySyncStore } from "../../src/sync/store.js";
import type { FakeLangfuse } from "./fake-langfuse.js";
import { FIXTURE_KEYS } from "./fixtures.js";
import { DATASET_NOW, startFake, WINDOW } from "./helpers.js";
import { ManualClock } from "./manual-clock.js";

const refused = async (p: Promise<unknown>): Promise<SyncServiceError> => {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(SyncServiceError);
    return err as SyncServiceError;
  }
  throw new Error("expected a SyncServiceError");
};

describe("sync management service", () => {
  let fake: FakeLangfuse;
  let store: MemorySyncStore;
  let service: SyncService;
  let pokes = 0;
  const clock = new ManualClock(DATASET_NOW);
  beforeEach(async () => {
    fake = await startFake();
    store = new MemorySyncStore();
    pokes = 0;
    service = new SyncService({ store, clock, onScheduleChange: () => pokes++ });
  });
  afterEach(() => fake.close());
  const body = (config: Record<string, unknown> = {}) => ({
    source_type: "langfuse",
    config: { ...FIXTURE_KEYS, base_url: fake.url, ...config },
  });

  it("creates a credential after a synchronous health check and books its first pull now", async () => {
    const c = await service.createCredential("ws_1", body());
    expect(c).toMatchObject({
      source_type: "langfuse",
      last_health_status: "ok",
      last_health_error: null,
      config: { public_key: FIXTURE_KEYS.public_key, base_url: fake.url },
    });
    expect(JSON.stringify(c)).not.toContain(FIXTURE_KEYS.secret_key);
    expect((await store.getState(c.id))!.next_run_at).toBe(new Date(DATASET_NOW).toISOString());
    expect(pokes).toBe(1);
    expect((await service.getSettings("ws_1")).next_run_at).toBe(new Date(DATASET_NOW).toISOString());
  });

  it("stores a failing credential with the reason, and never returns the secret anywhere", async () => {
    const c = await service.createCredential("ws_1", body({ secret_key: "sk-lf-wrong-one-1234" }));
    expect(c.last_health_status).toBe("fail");
    expect(c.last_health_error).toMatch(/rejected the keys/);
    const everything = JSON.stringify([
      c,
      await service.getCredential(c.id),
      await service.listCredentials("ws_1"),
      await service.runHealthCheck(c.id),
    ]);
    expect(everything).not.toContain("sk-lf-wrong-one-1234");
  });

  it("rejects invalid credential bodies with 422 naming the field, storing nothing", async () => {
    for (const [bad, field] of [
      [{ ...body(), source_type: "helicone" }, "source_type"],
      [body({ secret_key: "" }), "config.secret_key"],
      [body({ base_url: "ftp://x" }), "config.base_url"],
      [body({ base_url: "https://user:pw@cloud.langfuse.com" }), "config.base_url"],
    ] as const) {
      const err = await refused(service.createCredential("ws_1", bad));
      expect(err).toMatchObject({ status: 422, field });
    }
    expect(await store.listCredentials()).toEqual([]);
    expect(fake.requests).toEqual([]);
  });

  it("rejects out-of-range or wrongly typed settings with 422 and the allowed range, changing nothing", async () => {
    for (const [patch, field, allowed] of [
      [{ frequency_minutes: 14 }, "frequency_minutes", "an integer from 15 to 10080"],
      [{ frequency_minutes: 10081 }, "frequency_minutes", "an integer from 15 to 10080"],
      [{ frequency_minutes: "60" }, "frequency_minutes", "an integer from 15 to 10080"],
      [{ max_traces_per_sync: 4999 }, "max_traces_per_sync", "an integer from 5000 to 10000"],
      [{ max_traces_per_sync: 10000.5 }, "max_traces_per_sync", "an integer from 5000 to 10000"],
      [{ schedule_enabled: "true" }, "schedule_enabled", "true, false"],
      [{ frequency_minutes: 60, next_run_at: "2026-01-01T00:00:00Z" }, "next_run_at", undefined],
    ] as const) {
      const err = await refused(service.patchSettings("ws_1", patch));
      expect(err).toMatchObject({ status: 422, field });
      if (allowed) expect(err.allowed).toBe(allowed);
    }
    expect(await service.getSettings("ws_1")).toEqual({ ...DEFAULT_SETTINGS, next_run_at: null });
  });

  it("applies a valid settings patch and re-books next runs from the last start", async () => {
    const c = await service.createCredential("ws_1", body());
    const state = (await store.getState(c.id))!;
    await store.putState({
      ...state,
      last_run_started_at: new Date(DATASET_NOW).toISOString(),
      next_run_at: new Date(DATASET_NOW + 3600_000).toISOString(),
    });
    const s = await service.patchSettings("ws_1", { frequency_minutes: 15, max_traces_per_sync: 10000 });
    expect(s).toEqual({
      schedule_enabled: true,
      frequency_minutes: 15,
      max_traces_per_sync: 10000,
      next_run_at: new Date(DATASET_NOW + 15 * 60_000).toISOString(),
    });
    expect((await service.patchSettings("ws_1", { schedule_enabled: false })).next_run_at).toBeNull();
    expect((await service.status(c.id)).next_run_at).toBeNull();
  });

  it("rotates keys with a full-config update, keeping the import history", async () => {
    const c = await service.createCredential("ws_1", body({ secret_key: "sk-lf-old-broken-key" }));
    const state = (await store.getState(c.id))!;
    await store.putState({ ...state, status: "fail", watermark: "2026-08-20T13:00:00.000Z", next_run_at: "2026-08-20T15:00:00.000Z" });
    const updated = await service.updateCredential(c.id, body());
    expect(updated).toMatchObject({ id: c.id, last_health_status: "ok", last_health_error: null });
    expect(await store.getState(c.id)).toMatchObject({
      watermark: "2026-08-20T13:00:00.000Z",
      next_run_at: new Date(DATASET_NOW).toISOString(),
    });
    expect((await store.getCredential(c.id))!.config.secret_key).toBe(FIXTURE_KEYS.secret_key);
  });

  it("answers 404 for unknown credentials and forgets deleted ones", async () => {
    const c = await service.createCredential("ws_1", body());
    await service.deleteCredential(c.id);
    for (const op of [
      service.getCredential(c.id),
      service.status(c.id),
      service.runHealthCheck(c.id),
      service.deleteCredential(c.id),
      service.updateCredential(c.id, body()),
    ]) {
      expect(await refused(op)).toMatchObject({ status: 404 });
    }
  });

  it("lists reports newest first with a limit, and validates the limit", async () => {
    const c = await service.createCredential("ws_1", body());
    const sink = new MemorySpanSink();
    const cred = (await store.getCredential(c.id))!;
    for (let i = 0; i < 3; i++) {
      clock.t = DATASET_NOW + i * 20 * 60_000;
      await runImport(cred, DEFAULT_SETTINGS, { store, sink, now: () => clock.t, window: WINDOW });
    }
    const { items } = await service.listReports("ws_1", "2");
    // later runs re-scan only the 1-hour overlap: just the 13:22 trace, unchanged
    expect(items.map((r) => [r.created, r.skipped])).toEqual([
      [0, 1],
      [0, 1],
    ]);
    expect((await service.listReports("ws_1", null)).items.at(-1)).toMatchObject({ created: 6, status: "ok" });
    expect(await refused(service.listReports("ws_1", "0"))).toMatchObject({ status: 422, field: "limit" });
    clock.t = DATASET_NOW;
  });

  it("has the doctor report health, reachability, failures in the window and a fix", async () => {
    const good = await service.createCredential("ws_1", body());
    const badKeys = await service.createCredential("ws_1", body({ secret_key: "sk-lf-nope-nope" }));
    const badUrl = await service.createCredential("ws_1", body({ base_url: `${fake.url}/wrong` }));
    const sink = new MemorySpanSink();
    for (const id of [good.id, badKeys.id])
      await runImport((await store.getCredential(id))!, DEFAULT_SETTINGS, { store, sink, now: () => clock.t, window: WINDOW });
    const doc = await service.doctor("ws_1", "2026-08-20", "2026-08-20");
    expect(doc.healthy).toBe(false);
    const by = (id: string) => doc.credentials.find((c) => c.credential_id === id)!;
    expect(by(good.id)).toMatchObject({ upstream_reachable: true, sync_status: "ok", runs: 1, failed_runs: 0, suggested_fix: null });
    expect(by(badKeys.id)).toMatchObject({
      upstream_reachable: true,
      sync_status: "fail",
      failed_runs: 1,
      suggested_fix: expect.stringContaining("credentials update"),
    });
    expect(by(badUrl.id)).toMatchObject({
      upstream_reachable: false,
      upstream_error: expect.stringContaining("No Langfuse API"),
      suggested_fix: expect.stringContaining("base_url"),
    });
    expect(JSON.stringify(doc)).not.toContain("sk-lf-nope-nope");
    expect((await service.doctor("ws_1", "2026-08-21", null)).credentials.every((c) => c.runs === 0)).toBe(true);
    expect(await refused(service.doctor("ws_1", "yesterday", null))).toMatchObject({ status: 422, field: "from_date" });
  });
});
