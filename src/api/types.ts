/**
 * Wire types of the Bento management API (SPEC §8). Field names are the server's (snake_case).
 * Lists come back wrapped: `{ "items": [...] }` (see {@link ListResponse}).
 */

/** The external trace sources Bento can import from. */
export type SourceType = "langfuse";

/** Connection settings of a Langfuse project. */
export interface CredentialConfig {
  /** Langfuse public key (`pk-lf-…`). */
  public_key: string;
  /** Langfuse secret key (`sk-lf-…`). Write-only: `get` never returns it. */
  secret_key: string;
  /** Langfuse origin, e.g. `https://cloud.langfuse.com`. */
  base_url: string;
}

/** A config as the server returns it: the secret is absent or masked. */
export type RedactedCredentialConfig = Omit<CredentialConfig, "secret_key"> & { secret_key?: string };

/** Result of the most recent health probe; `unknown` until the first probe ran. */
export type HealthStatus = "ok" | "fail" | "unknown";

/** A stored connection to one external trace source. */
export interface Credential {
  id: string;
  workspace_id?: string;
  source_type: SourceType;
  config: RedactedCredentialConfig;
  last_health_status: HealthStatus;
  last_health_checked_at?: string | null;
  /** Why the last probe failed, when it did. */
  last_health_error?: string | null;
  created_at?: string;
  updated_at?: string;
}

/**
 * Body of `POST /workspaces/{ws}/credentials`. `source_type` is checked by the server (which answers
 * 422 naming the types it supports), so a type newer than this client can still be sent.
 */
export interface CredentialCreate {
  source_type: SourceType | (string & {});
  config: CredentialConfig;
}

/** Body of `PUT /credentials/{id}`: a full replacement of the config (e.g. to rotate keys). */
export interface CredentialUpdate {
  source_type?: SourceType | (string & {});
  config: CredentialConfig;
}

/** Outcome of `POST /credentials/{id}/health-check`: a probe only, it never starts an import. */
export interface HealthCheckResult {
  credential_id?: string;
  status: "ok" | "fail";
  /** Whether the upstream (e.g. Langfuse) answered at all. */
  reachable?: boolean;
  message?: string | null;
  checked_at?: string;
}

/** Workspace-wide import schedule. */
export interface SyncSettings {
  schedule_enabled: boolean;
  /** Minutes between scheduled imports: 15–10080 (one week). */
  frequency_minutes: number;
  /** ISO timestamp of the next scheduled run; null when the schedule is off. */
  next_run_at: string | null;
  /** Upper bound of traces pulled per run: 5000–10000. */
  max_traces_per_sync: number;
}

/**
 * Body of `PATCH /workspaces/{ws}/sync-settings`: only the fields to change. `next_run_at` is an
 * ISO-8601 timestamp with a time zone; the server refuses one in the past.
 */
export type SyncSettingsUpdate = Partial<Pick<SyncSettings, "schedule_enabled" | "frequency_minutes" | "max_traces_per_sync">> & {
  next_run_at?: string;
};

/** State of one credential's import. */
export type SyncState = "idle" | "running" | "ok" | "fail" | "partial";

export interface SyncStatus {
  credential_id: string;
  status: SyncState;
  last_run_started_at?: string | null;
  last_run_finished_at?: string | null;
  last_success_at?: string | null;
  next_run_at?: string | null;
  /** Traces imported by the last completed run. */
  last_run_traces?: number | null;
  last_error?: string | null;
}

/** One error inside a sync run. */
export interface SyncReportError {
  message: string;
  trace_id?: string;
}

/** Counts of one completed import run. */
export interface SyncReport {
  id: string;
  credential_id: string;
  status: Exclude<SyncState, "idle" | "running">;
  started_at: string;
  finished_at: string;
  duration_ms: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  errors: SyncReportError[];
}

/** Health of one credential's import, as seen by the doctor. */
export interface DoctorCredential {
  credential_id: string;
  source_type: SourceType;
  last_health_status: HealthStatus;
  /** Whether Bento can reach the upstream right now. */
  upstream_reachable: boolean;
  sync_status: SyncState;
  last_success_at?: string | null;
  runs: number;
  failed_runs: number;
  problems: string[];
}

/** Import health across all credentials of a workspace, optionally limited to a date range. */
export interface Doctor {
  workspace_id?: string;
  from_date?: string | null;
  to_date?: string | null;
  healthy: boolean;
  credentials: DoctorCredential[];
}

/** How the server wraps every list. */
export interface ListResponse<T> {
  items: T[];
}

/** Per-call options of workspace-scoped methods. */
export interface WorkspaceOptions {
  /** Overrides the client's default workspace for this call. */
  workspace?: string;
}
