import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SyncScheduler } from "../../src/sync/scheduler.js";
import { SyncService } from "../../src/sync/service.js";
import { MemorySpanSink } from "../../src/sync/sink.js";
import type { FakeLangfuse } from "./fake-langfuse.js";
import { credentialFor, DATASET_NOW, SETTINGS, startFake, storeWith, WINDOW } from "./helpers.js";
import { ManualClock } from "./manual-clock.js";

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe("next_run_at in the sync settings", () => {
  let fake: FakeLangfuse;
  let clock: ManualClock;
  let scheduler: SyncScheduler;
  beforeEach(async () => {
    fake = await startFake();
    clock = new ManualClock(DATASET_NOW);
  });
  afterEach(async () => {
    await scheduler?.stop();
    await fake.close();
  });

  async function setup(frequency_minutes: number) {
    const store = await storeWith(credentialFor(fake), { ...SETTINGS, frequency_minutes });
    scheduler = new SyncScheduler({ store, sink: new MemorySpanSink(), clock, importer: { window: WINDOW } });
    const service = new SyncService({ store, clock, onScheduleChange: () => scheduler.poke() });
    await scheduler.start();
    const settle = () => scheduler.whenIdle();
    await clock.flush(settle);
    const starts = async () => (await store.listReports({})).map((r) => r.started_at).sort();
    return { store, service, settle, starts };
  }

  it("moves the next import to the requested time, and the scheduler runs it then", async () => {
    const { service, settle, starts } = await setup(60);
    expect(await starts()).toEqual([iso(DATASET_NOW)]);
    const at = DATASET_NOW + 150 * MIN;
    const settings = await service.patchSettings("ws_1", { next_run_at: iso(at).replace(".000Z", "Z") });
    expect(settings.next_run_at).toBe(iso(at));
    await clock.advance(149 * MIN, settle);
    expect(await starts()).toHaveLength(1); // the hourly run at +60 and +120 moved to +150
    await clock.advance(1 * MIN, settle);
    expect(await starts()).toEqual([iso(DATASET_NOW), iso(at)]);
    // afterwards the regular frequency applies again
    expect((await service.getSettings("ws_1")).next_run_at).toBe(iso(at + 60 * MIN));
  });

  it("keeps the 15-minute floor after the last import, and says so in the settings", async () => {
    const { service, settle, starts } = await setup(60);
    const settings = await service.patchSettings("ws_1", { next_run_at: iso(DATASET_NOW + 5 * MIN) });
    expect(settings.next_run_at).toBe(iso(DATASET_NOW + 15 * MIN));
    await clock.advance(15 * MIN, settle);
    expect(await starts()).toEqual([iso(DATASET_NOW), iso(DATASET_NOW + 15 * MIN)]);
  });

  it("refuses a time that is not in the future with 422, changing nothing", async () => {
    const { service, store } = await setup(60);
    const before = await store.getState("cred_1");
    for (const value of [iso(DATASET_NOW), iso(DATASET_NOW - MIN)]) {
      await expect(service.patchSettings("ws_1", { next_run_at: value, frequency_minutes: 30 })).rejects.toMatchObject({
        status: 422,
        field: "next_run_at",
        message: expect.stringContaining(`is not in the future (server time is ${iso(DATASET_NOW)})`),
      });
    }
    expect(await store.getState("cred_1")).toEqual(before);
    expect((await store.getSettings("ws_1")).frequency_minutes).toBe(60);
  });

  it("refuses next_run_at in a workspace with nothing to schedule", async () => {
    const { service } = await setup(60);
    await expect(service.patchSettings("ws_empty", { next_run_at: iso(DATASET_NOW + 60 * MIN) })).rejects.toMatchObject({
      status: 422,
      field: "next_run_at",
    });
  });
});
