import { MIN_FREQUENCY_MINUTES, minutes } from "./clock.js";
import { SyncServiceError } from "./errors.js";
import { initialState } from "./importer.js";
import type { SyncStore } from "./store.js";

/**
 * The server's half of `next_run_at` (the shared validator checked its shape): it must lie in the
 * future by the server's clock, and the workspace must have a credential to schedule. Returns the
 * instant in epoch milliseconds; writes nothing, so a refused patch changes nothing.
 */
export async function checkNextRunAt(store: SyncStore, ws: string, value: string, now: number): Promise<number> {
  const at = Date.parse(value);
  if (!(at > now)) {
    const server = new Date(now).toISOString();
    throw new SyncServiceError(
      422,
      "invalid_value",
      `next_run_at ${value} is not in the future (server time is ${server}): pick a later time`,
      "next_run_at",
      `an ISO-8601 timestamp after ${server}`,
    );
  }
  if ((await store.listCredentials(ws)).length === 0) {
    throw new SyncServiceError(
      422,
      "invalid_value",
      `next_run_at: workspace ${JSON.stringify(ws)} has no credential to schedule; create one first (its first import starts at once)`,
      "next_run_at",
    );
  }
  return at;
}

/**
 * Move each credential's next import to `at`, but never earlier than 15 minutes after its last
 * import started (SPEC §8's floor), so settings and status show the time that really applies.
 * Each state is re-read just before writing, keeping whatever a running import recorded meanwhile.
 */
export async function applyNextRunAt(store: SyncStore, ws: string, at: number): Promise<void> {
  for (const c of await store.listCredentials(ws)) {
    const state = (await store.getState(c.id)) ?? initialState(c.id);
    const floor = state.last_run_started_at ? Date.parse(state.last_run_started_at) + minutes(MIN_FREQUENCY_MINUTES) : -Infinity;
    await store.putState({ ...state, next_run_at: new Date(Math.max(at, floor)).toISOString() });
  }
}
