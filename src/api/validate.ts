import { BentoValidationError } from "./errors.js";
import type { CredentialConfig, CredentialCreate, CredentialUpdate, SourceType, SyncSettingsUpdate } from "./types.js";

/**
 * Checks shared by the client, the CLI and the dev server: every rule of SPEC §8 that can be
 * decided without the server. Each throws {@link BentoValidationError} naming the field and the
 * allowed values; none ever puts a secret value in its message.
 */

export const SOURCE_TYPES: readonly SourceType[] = ["langfuse"];
export const LANGFUSE_CONFIG_KEYS = ["public_key", "secret_key", "base_url"] as const;
export const FREQUENCY_MINUTES = { min: 15, max: 10080 } as const;
export const MAX_TRACES_PER_SYNC = { min: 5000, max: 10000 } as const;
export const SYNC_SETTINGS_FIELDS = ["schedule_enabled", "frequency_minutes", "next_run_at", "max_traces_per_sync"] as const;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function shown(v: unknown): string {
  return v === undefined ? "nothing" : JSON.stringify(v);
}

/** Parse JSON text, naming where it came from (e.g. `--data`) when it is not valid. */
export function parseJsonBody(text: string, source = "body"): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new BentoValidationError("invalid_json", source, `Invalid JSON in ${source}: ${why}`, "a JSON object");
  }
}

function requireObject(v: unknown, field: string): Json {
  if (!isObject(v))
    throw new BentoValidationError(
      "invalid_value",
      field,
      `${field} must be a JSON object (got ${Array.isArray(v) ? "an array" : v === null ? "null" : typeof v})`,
      "a JSON object",
    );
  return v;
}

/** `source_type` must be one of `supported` (default {@link SOURCE_TYPES}): the server's check. */
export function validateSourceType(v: unknown, field = "source_type", supported: readonly string[] = SOURCE_TYPES): SourceType {
  if (typeof v === "string" && supported.includes(v)) return v as SourceType;
  const allowed = supported.map((s) => `"${s}"`).join(", ");
  const code = v === undefined ? "missing_field" : "invalid_value";
  throw new BentoValidationError(code, field, `${field} must be one of ${allowed} (got ${shown(v)})`, allowed);
}

/** A Langfuse config needs `public_key`, `secret_key` (non-empty strings) and an http(s) `base_url`. */
export function validateLangfuseConfig(v: unknown, field = "config"): CredentialConfig {
  const config = requireObject(v, field);
  const required = LANGFUSE_CONFIG_KEYS.join(", ");
  for (const key of LANGFUSE_CONFIG_KEYS) {
    const value = config[key];
    if (typeof value !== "string" || !value.trim()) {
      const code = value === undefined ? "missing_field" : "invalid_value";
      throw new BentoValidationError(
        code,
        `${field}.${key}`,
        `${field}.${key} is required: a langfuse config needs ${required} as non-empty strings`,
        required,
      );
    }
  }
  const baseUrl = String(config.base_url);
  let protocol = "";
  try {
    protocol = new URL(baseUrl).protocol;
  } catch {
    protocol = "";
  }
  if (protocol !== "http:" && protocol !== "https:") {
    throw new BentoValidationError(
      "invalid_value",
      `${field}.base_url`,
      `${field}.base_url must be an http:// or https:// URL such as https://cloud.langfuse.com (got ${shown(baseUrl)})`,
      "an http:// or https:// URL",
    );
  }
  return config as unknown as CredentialConfig;
}

/** What the server checks about `source_type` besides its shape: the types it supports. */
export interface SourceTypeOptions {
  /**
   * Accepted source types. The client leaves this unset (the server owns the list and answers 422
   * naming it); the dev server passes {@link SOURCE_TYPES}.
   */
  supported?: readonly string[];
}

function checkSourceType(v: unknown, options: SourceTypeOptions): string {
  if (options.supported) return validateSourceType(v, "source_type", options.supported);
  if (typeof v === "string" && v.trim()) return v;
  const code = v === undefined ? "missing_field" : "invalid_value";
  throw new BentoValidationError(
    code,
    "source_type",
    `source_type must be a non-empty string such as "langfuse" (got ${shown(v)})`,
    'a source type, e.g. "langfuse"',
  );
}

/** A known type's config is checked field by field; another type's only for being an object. */
function checkConfig(sourceType: string, config: unknown): void {
  if (sourceType === "langfuse") validateLangfuseConfig(config);
  else requireObject(config, "config");
}

/**
 * Body of `credentials create`: `{ source_type, config }`; a `"langfuse"` config needs
 * `public_key`, `secret_key` and an http(s) `base_url`.
 */
export function validateCredentialCreate(body: unknown, options: SourceTypeOptions = {}): CredentialCreate {
  const b = requireObject(body, "body");
  checkConfig(checkSourceType(b.source_type, options), b.config);
  return b as unknown as CredentialCreate;
}

/** Body of `credentials update`: a full config; `source_type` is optional. */
export function validateCredentialUpdate(body: unknown, options: SourceTypeOptions = {}): CredentialUpdate {
  const b = requireObject(body, "body");
  const type = b.source_type === undefined ? "langfuse" : checkSourceType(b.source_type, options);
  checkConfig(type, b.config);
  return b as unknown as CredentialUpdate;
}

function integerInRange(v: unknown, field: string, range: { min: number; max: number }): number {
  if (typeof v === "number" && Number.isInteger(v) && v >= range.min && v <= range.max) return v;
  const allowed = `an integer from ${range.min} to ${range.max}`;
  throw new BentoValidationError("invalid_value", field, `${field} must be ${allowed} (got ${shown(v)})`, allowed);
}

/** `frequency_minutes`: integer 15–10080 (15 minutes to one week). */
export const validateFrequencyMinutes = (v: unknown): number => integerInRange(v, "frequency_minutes", FREQUENCY_MINUTES);

/** `max_traces_per_sync`: integer 5000–10000. */
export const validateMaxTracesPerSync = (v: unknown): number => integerInRange(v, "max_traces_per_sync", MAX_TRACES_PER_SYNC);

/** `schedule_enabled`: a JSON boolean (not "true", not 1). */
export function validateScheduleEnabled(v: unknown): boolean {
  if (typeof v === "boolean") return v;
  throw new BentoValidationError(
    "invalid_value",
    "schedule_enabled",
    `schedule_enabled must be true or false (got ${shown(v)})`,
    "true, false",
  );
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/i;

/**
 * `next_run_at`: an ISO-8601 date (`2026-12-01`, midnight UTC) or date-time with a time zone
 * (`2026-12-01T09:30:00Z`, `…+01:00`). Whether it lies in the future is the server's call (its
 * clock decides), so this only checks the shape.
 */
export function validateNextRunAt(v: unknown): string {
  if (typeof v === "string" && ISO_DATE_TIME.test(v) && !Number.isNaN(Date.parse(v))) return v;
  const allowed = "an ISO-8601 timestamp with a time zone, e.g. 2026-12-01T09:30:00Z";
  throw new BentoValidationError("invalid_value", "next_run_at", `next_run_at must be ${allowed} (got ${shown(v)})`, allowed);
}

/** Body of `sync update-workspace-settings`: at least one of the settable fields, nothing else. */
export function validateSyncSettingsUpdate(body: unknown): SyncSettingsUpdate {
  const b = requireObject(body, "body");
  const allowed = SYNC_SETTINGS_FIELDS.join(", ");
  for (const key of Object.keys(b)) {
    if (!(SYNC_SETTINGS_FIELDS as readonly string[]).includes(key)) {
      throw new BentoValidationError("unknown_field", key, `${key} is not a sync setting; settable fields: ${allowed}`, allowed);
    }
  }
  if (Object.keys(b).length === 0) {
    throw new BentoValidationError("missing_field", "body", `Nothing to update: send at least one of ${allowed}`, allowed);
  }
  if ("schedule_enabled" in b) validateScheduleEnabled(b.schedule_enabled);
  if ("frequency_minutes" in b) validateFrequencyMinutes(b.frequency_minutes);
  if ("next_run_at" in b) validateNextRunAt(b.next_run_at);
  if ("max_traces_per_sync" in b) validateMaxTracesPerSync(b.max_traces_per_sync);
  return b as SyncSettingsUpdate;
}

/** `--limit` of the reports list: a positive integer. */
export function validateLimit(v: unknown): number {
  if (typeof v === "number" && Number.isInteger(v) && v >= 1) return v;
  throw new BentoValidationError("invalid_value", "limit", `limit must be a positive integer (got ${shown(v)})`, "a positive integer");
}

/** Doctor date bounds: `YYYY-MM-DD` or a full ISO-8601 timestamp. */
export function validateDate(v: unknown, field: string): string {
  const ok = typeof v === "string" && /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) && !Number.isNaN(Date.parse(v));
  if (ok) return v;
  const allowed = "a date YYYY-MM-DD or an ISO-8601 timestamp";
  throw new BentoValidationError("invalid_value", field, `${field} must be ${allowed} (got ${shown(v)})`, allowed);
}

/** Path ids are opaque but must be non-empty; they are URL-encoded when sent. */
export function validateId(v: unknown, field: string): string {
  if (typeof v === "string" && v.trim()) return v.trim();
  throw new BentoValidationError("missing_field", field, `${field} is required`, "a non-empty id");
}

/** A time filter of the traces list: ISO-8601, or unix epoch milliseconds (what the server parses). */
export function validateTimeFilter(v: unknown, field: string): string {
  const ok = typeof v === "string" && v.trim() !== "" && (/^\d+$/.test(v) || !Number.isNaN(Date.parse(v)));
  if (ok) return v;
  const allowed = "an ISO-8601 date or timestamp, or unix milliseconds";
  throw new BentoValidationError("invalid_value", field, `${field} must be ${allowed} (got ${shown(v)})`, allowed);
}
