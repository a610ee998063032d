import type { Credential, SyncReport, SyncSettings, SyncStatus } from "../api/types.js";
import type { StoredReport, StoredSettings } from "./store.js";
import type { CredentialSyncState, StoredCredential } from "./types.js";

/**
 * What the management API returns. The one rule that matters: a credential's `secret_key`
 * never leaves the store, so every view is built field by field, never by spreading the record.
 */
export function credentialView(c: StoredCredential): Credential {
  return {
    id: c.id,
    workspace_id: c.workspace_id,
    source_type: c.source_type,
    config: { public_key: c.config.public_key, base_url: c.config.base_url },
    last_health_status: c.last_health_status,
    last_health_checked_at: c.last_health_checked_at,
    last_health_error: c.last_health_error,
    created_at: c.created_at,
    updated_at: c.updated_at,
  };
}

export function settingsView(s: StoredSettings, nextRunAt: string | null): SyncSettings {
  return {
    schedule_enabled: s.schedule_enabled,
    frequency_minutes: s.frequency_minutes,
    next_run_at: s.schedule_enabled ? nextRunAt : null,
    max_traces_per_sync: s.max_traces_per_sync,
  };
}

export function statusView(s: CredentialSyncState, scheduleEnabled: boolean): SyncStatus {
  return {
    credential_id: s.credential_id,
    status: s.status,
    last_run_started_at: s.last_run_started_at,
    last_run_finished_at: s.last_run_finished_at,
    last_success_at: s.last_success_at,
    next_run_at: scheduleEnabled ? s.next_run_at : null,
    last_run_traces: s.last_run_traces,
    last_error: s.last_error,
  };
}

export function reportView(
  r: StoredReport,
): SyncReport & Pick<StoredReport, "workspace_id" | "api_version" | "window_from" | "window_to" | "spans_upserted"> {
  return {
    id: r.id,
    credential_id: r.credential_id,
    workspace_id: r.workspace_id,
    status: r.status,
    started_at: r.started_at,
    finished_at: r.finished_at,
    duration_ms: r.duration_ms,
    created: r.created,
    updated: r.updated,
    skipped: r.skipped,
    failed: r.failed,
    errors: r.errors,
    api_version: r.api_version,
    window_from: r.window_from,
    window_to: r.window_to,
    spans_upserted: r.spans_upserted,
  };
}
