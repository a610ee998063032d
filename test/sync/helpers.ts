import { initialState } from "../../src/sync/importer.js";
import { MemorySyncStore, type StoredSettings } from "../../src/sync/store.js";
import type { StoredCredential } from "../../src/sync/types.js";
import { FakeLangfuse } from "./fake-langfuse.js";
import { FIXTURE_KEYS } from "./fixtures.js";

/** 14:00 UTC on the dataset's day: every fixture trace (09:14–13:22) is in the first window. */
export const DATASET_NOW = Date.parse("2026-08-20T14:00:00.000Z");
export const SETTINGS: StoredSettings = { schedule_enabled: true, frequency_minutes: 15, max_traces_per_sync: 5000 };
export const WINDOW = { initialLookbackMs: 24 * 60 * 60 * 1000 };

export async function startFake(mode: FakeLangfuse["mode"] = "cloud"): Promise<FakeLangfuse> {
  const fake = new FakeLangfuse();
  fake.mode = mode;
  return fake.start();
}

export function credentialFor(fake: FakeLangfuse, overrides: Partial<StoredCredential["config"]> = {}, id = "cred_1"): StoredCredential {
  return {
    id,
    workspace_id: "ws_1",
    source_type: "langfuse",
    config: { ...FIXTURE_KEYS, base_url: fake.url, ...overrides },
    last_health_status: "unknown",
    last_health_error: null,
    last_health_checked_at: null,
    created_at: "2026-08-20T13:59:00.000Z",
    updated_at: "2026-08-20T13:59:00.000Z",
  };
}

export async function storeWith(c: StoredCredential, settings = SETTINGS): Promise<MemorySyncStore> {
  const store = new MemorySyncStore();
  await store.putCredential(c);
  await store.putSettings(c.workspace_id, settings);
  await store.putState({ ...initialState(c.id), next_run_at: new Date(DATASET_NOW).toISOString() });
  return store;
}

/** Records requested waits instead of waiting. */
export function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}
