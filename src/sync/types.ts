/**
 * Shapes the sync engine passes between its parts. The imported span mirrors the mapping of
 * Langfuse traces + observations to OTel-style spans (see docs/sync.md and
 * shared/langfuse/fixtures/expected_spans.json), with this project's kind and provider values.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** OTel span kind of an imported span: CLIENT for model calls, INTERNAL otherwise. */
export type ImportedSpanKind = "INTERNAL" | "CLIENT";

/** One span produced by the Langfuse mapping, ready to be upserted by `(trace_id, span_id)`. */
export interface ImportedSpan {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  name: string;
  kind: ImportedSpanKind;
  /** ISO-8601 with milliseconds. */
  start_time: string;
  /** `null` while the Langfuse observation is still open; a later import closes it. */
  end_time: string | null;
  status: { code: "UNSET" | "ERROR"; message: string | null };
  /** Flat, typed attributes: SPEC §2 keys plus OpenInference/GenAI extras. */
  attributes: Record<string, string | number | boolean | string[] | number[] | boolean[]>;
  /** Everything else Langfuse knows, lossless, under `langfuse.*` keys. */
  attributes_json: JsonObject;
  resource: JsonObject;
}

/** Per-credential import state (watermark, change detection, schedule). */
export interface CredentialSyncState {
  credential_id: string;
  status: "idle" | "running" | "ok" | "fail" | "partial";
  last_run_started_at: string | null;
  last_run_finished_at: string | null;
  last_success_at: string | null;
  next_run_at: string | null;
  last_error: string | null;
  last_run_traces: number | null;
  /** Start-time high-water mark: everything before `watermark - overlap` was imported. */
  watermark: string | null;
  /** Which read API answered last: v2 (observations, cursor) or v1 (traces, pages). */
  api_version: "v2" | "v1" | null;
  /** traceId → what was stored last: to tell updated from unchanged and to complete re-scans. */
  seen: Record<string, SeenTrace>;
}

/** What the importer remembers about one stored trace (kept small: one entry per recent trace). */
export interface SeenTrace {
  /** Fingerprint of the spans stored. */
  fp: string;
  /** Trace timestamp. */
  ts: string;
  /** v1: the list item's change signal. */
  list?: string;
  /** Earliest observation start stored: a v2 re-scan reads the trace from here. */
  start?: string;
  /** Latest observation start seen: the trace stays remembered while it is active. */
  last?: string;
  /** Observations stored. */
  n?: number;
  /** Some stored span was still open (v1 re-reads the trace until it closes). */
  open?: boolean;
  /** The stored trace had its real root (not a synthesized one). */
  root?: boolean;
}

/** A stored credential, secret included: only ever inside the store and the importer. */
export interface StoredCredential {
  id: string;
  workspace_id: string;
  source_type: "langfuse";
  config: { public_key: string; secret_key: string; base_url: string };
  last_health_status: "ok" | "fail" | "unknown";
  last_health_error: string | null;
  last_health_checked_at: string | null;
  created_at: string;
  updated_at: string;
}
