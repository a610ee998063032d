import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileSyncStore } from "../../src/sync/file-store.js";
import { type SchedulerOptions, SyncScheduler } from "../../src/sync/scheduler.js";
import { MemorySpanSink } from "../../src/sync/sink.js";
import type { SyncStore } from "../../src/sync/store.js";
import type { FakeLangfuse } from "./fake-langfuse.js";
import { credentialFor, DATASET_NOW, SETTINGS, startFake, storeWith, WINDOW } from "./helpers.js";
import { ManualClock } from "./manual-clock.js";

const MIN = 60_000;

describe("sync scheduler", () => {
  let fake: FakeLangfuse;
  let clock: ManualClock;
  let schedulers: SyncScheduler[] = [];
  beforeEach(async () => {
    fake = await startFake();
    clock = new ManualClock(DATASET_NOW);
    schedulers = [];
  });
  afterEach(async () => {
    await Promise.all(schedulers.map((s) => s.stop()));
    await fake.close();
  });

  function scheduler(store: SyncStore, sink = new MemorySpanSink(), extra: Partial<SchedulerOptions> = {}) {
    const s = new SyncScheduler({ store, sink, clock, importer: { window: WINDOW }, ...extra });
    schedulers.push(s);
    return s;
  }
  const settle = (s: SyncScheduler) => () => s.whenIdle();
  const runs = async (store: SyncStore) => (await store.listReports({})).length;

  it("runs a new credential's first pull at once, then every frequency_minutes", async () => {
    const store = await storeWith(credentialFor(fake), { ...SETTINGS, frequency_minutes: 30 });
    const s = scheduler(store);
    await s.start();
    await clock.flush(settle(s));
    expect(await runs(store)).toBe(1);
    expect((await store.getState("cred_1"))!.next_run_at).toBe(new Date(DATASET_NOW + 30 * MIN).toISOString());
    await clock.advance(29 * MIN, settle(s));
    expect(await runs(store)).toBe(1);
    await clock.advance(1 * MIN, settle(s));
    expect(await runs(store)).toBe(2);
    await clock.advance(60 * MIN, settle(s));
    expect(await runs(store)).toBe(4);
  });

  it("keeps the 15-minute floor even if a lower frequency was stored directly", async () => {
    const store = await storeWith(credentialFor(fake), { ...SETTINGS, frequency_minutes: 1 });
    const s = scheduler(store);
    await s.start();
    await clock.advance(60 * MIN, settle(s));
    const starts = (await store.listReports({})).map((r) => Date.parse(r.started_at)).sort();
    expect(starts).toHaveLength(5);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(15 * MIN);
  });

  it("never runs two imports of one credential at once", async () => {
    const store = await storeWith(credentialFor(fake));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const sink = new MemorySpanSink();
    let concurrent = 0;
    let most = 0;
    const upsert = sink.upsert.bind(sink);
    sink.upsert = async (spans, origin) => {
      most = Math.max(most, ++concurrent);
      await gate;
      concurrent--;
      return upsert(spans, origin);
    };
    const s = scheduler(store, sink);
    await s.start();
    const first = s.tick();
    await new Promise((r) => setTimeout(r, 50));
    expect(s.isRunning("cred_1")).toBe(true);
    clock.t += 20 * MIN; // due again while the first import is still running
    expect(await s.tick()).toEqual([]);
    release();
    await first;
    await s.whenIdle();
    expect(most).toBe(1);
    expect(await runs(store)).toBe(1);
  });

  it("does nothing while the workspace schedule is disabled", async () => {
    const store = await storeWith(credentialFor(fake), { ...SETTINGS, schedule_enabled: false });
    const s = scheduler(store);
    await s.start();
    await clock.advance(120 * MIN, settle(s));
    expect(await runs(store)).toBe(0);
  });

  it("survives a restart: the next run comes from the stored schedule, not from start-up", async () => {
    const dir = await mkdtemp(join(tmpdir(), "bento-sync-"));
    try {
      const first = await FileSyncStore.open(dir);
      const c = credentialFor(fake);
      await first.putCredential(c);
      await first.putSettings("ws_1", { ...SETTINGS, frequency_minutes: 60 });
      const s1 = scheduler(first);
      await s1.start();
      await clock.flush(settle(s1));
      await s1.stop();
      expect((await stat(first.path)).mode & 0o777).toBe(0o600);
      expect((await stat(join(dir, "sync"))).mode & 0o777).toBe(0o700);

      clock.t += 10 * MIN;
      const reopened = await FileSyncStore.open(dir);
      expect((await reopened.listReports({})).length).toBe(1);
      const s2 = scheduler(reopened);
      await s2.start();
      await clock.advance(49 * MIN, settle(s2));
      expect((await reopened.listReports({})).length).toBe(1);
      await clock.advance(1 * MIN, settle(s2));
      expect((await reopened.listReports({})).length).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("marks an import a crash left running as interrupted on start", async () => {
    const store = await storeWith(credentialFor(fake));
    const state = (await store.getState("cred_1"))!;
    await store.putState({ ...state, status: "running", next_run_at: new Date(DATASET_NOW + 30 * MIN).toISOString() });
    const s = scheduler(store);
    await s.start();
    expect((await store.getState("cred_1"))!).toMatchObject({ status: "fail", last_error: expect.stringContaining("interrupted") });
  });

  it("stops cleanly: in-flight imports are aborted and no timer fires afterwards", async () => {
    const store = await storeWith(credentialFor(fake));
    fake.fail("v2", { status: 503, body: '{"message":"Service Unavailable"}' }, 100);
    const s = new SyncScheduler({
      store,
      sink: new MemorySpanSink(),
      clock,
      importer: { window: WINDOW, client: { backoffMs: 60_000, maxDelayMs: 120_000 } },
    });
    await s.start();
    void s.tick();
    await new Promise((r) => setTimeout(r, 50));
    expect(s.isRunning("cred_1")).toBe(true);
    const t0 = Date.now();
    await s.stop();
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(s.isRunning("cred_1")).toBe(false);
    const reports = await store.listReports({});
    expect(reports[0]!.status).toBe("fail");
    await clock.advance(120 * MIN, async () => undefined);
    expect((await store.listReports({})).length).toBe(1);
  });
});
