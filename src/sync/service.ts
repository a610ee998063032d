import { randomUUID } from "node:crypto";
import type { Credential, HealthCheckResult, ListResponse, SyncSettings, SyncStatus } from "../api/types.js";
import {
  SOURCE_TYPES,
  validateCredentialCreate,
  validateCredentialUpdate,
  validateLimit,
  validateSyncSettingsUpdate,
} from "../api/validate.js";
import { type Clock, MIN_FREQUENCY_MINUTES, minutes, systemClock } from "./clock.js";
import { buildDoctor, type DoctorReport } from "./doctor.js";
import { notFound, SyncServiceError, validated } from "./errors.js";
import { checkHealth, type HealthResult } from "./health.js";
import { initialState } from "./importer.js";
import { parseBaseUrl } from "./langfuse/base-url.js";
import { applyNextRunAt, checkNextRunAt } from "./next-run.js";
import type { StoredSettings, SyncStore } from "./store.js";
import type { StoredCredential } from "./types.js";
import { credentialView, reportView, settingsView, statusView } from "./views.js";

export interface SyncServiceOptions {
  store: SyncStore;
  clock?: Clock;
  /** Told about every change that can move the schedule (the scheduler re-reads it). */
  onScheduleChange?: () => void;
  /** Injectable probe (tests); default {@link checkHealth}. */
  health?: (config: StoredCredential["config"]) => Promise<HealthResult>;
}

/**
 * The management operations of SPEC §8 over a {@link SyncStore}, independent of HTTP: validate
 * (422 naming the field and the allowed range; nothing changes), act, and return redacted views.
 * There is no "sync now": creating a credential books its first pull for immediately.
 */
export class SyncService {
  private readonly clock: Clock;
  private readonly probe: (config: StoredCredential["config"]) => Promise<HealthResult>;

  constructor(private readonly o: SyncServiceOptions) {
    this.clock = o.clock ?? systemClock;
    this.probe = o.health ?? ((config) => checkHealth(config, { now: () => this.clock.now() }));
  }

  private iso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  async listCredentials(ws: string): Promise<ListResponse<Credential>> {
    return { items: (await this.o.store.listCredentials(ws)).map(credentialView) };
  }

  async getCredential(id: string): Promise<Credential> {
    return credentialView(await this.mustGet(id));
  }

  async createCredential(ws: string, body: unknown): Promise<Credential> {
    const { config } = validated(() => validateCredentialCreate(body, { supported: SOURCE_TYPES }));
    const clean = guardBaseUrl(config);
    const now = this.iso();
    const health = await this.probe(clean);
    const record: StoredCredential = {
      id: `cred_${randomUUID().replaceAll("-", "").slice(0, 20)}`,
      workspace_id: ws,
      source_type: "langfuse",
      config: clean,
      last_health_status: health.status,
      last_health_error: health.status === "ok" ? null : health.message,
      last_health_checked_at: health.checked_at,
      created_at: now,
      updated_at: now,
    };
    await this.o.store.putCredential(record);
    await this.o.store.putState({ ...initialState(record.id), next_run_at: now });
    this.o.onScheduleChange?.();
    return credentialView(record);
  }

  /** Full replace of the config (key rotation); the import history and watermark are kept. */
  async updateCredential(id: string, body: unknown): Promise<Credential> {
    const existing = await this.mustGet(id);
    const { config } = validated(() => validateCredentialUpdate(body, { supported: SOURCE_TYPES }));
    const clean = guardBaseUrl(config);
    const health = await this.probe(clean);
    const record: StoredCredential = {
      ...existing,
      config: clean,
      last_health_status: health.status,
      last_health_error: health.status === "ok" ? null : health.message,
      last_health_checked_at: health.checked_at,
      updated_at: this.iso(),
    };
    await this.o.store.putCredential(record);
    const state = await this.o.store.getState(id);
    // fixed keys after failed imports: pull again as soon as the 15-minute floor allows
    if (state && health.status === "ok" && state.status === "fail") await this.o.store.putState({ ...state, next_run_at: this.iso() });
    this.o.onScheduleChange?.();
    return credentialView(record);
  }

  async deleteCredential(id: string): Promise<void> {
    if (!(await this.o.store.deleteCredential(id))) throw notFound("credential", id);
    this.o.onScheduleChange?.();
  }

  /** Probe only: records the verdict, never starts an import. */
  async runHealthCheck(id: string): Promise<HealthCheckResult & { code: string }> {
    const c = await this.mustGet(id);
    const h = await this.probe(c.config);
    await this.o.store.putCredential({
      ...c,
      last_health_status: h.status,
      last_health_error: h.status === "ok" ? null : h.message,
      last_health_checked_at: h.checked_at,
    });
    return { credential_id: id, status: h.status, code: h.code, reachable: h.reachable, message: h.message, checked_at: h.checked_at };
  }

  async getSettings(ws: string): Promise<SyncSettings> {
    return settingsView(await this.o.store.getSettings(ws), await this.nextRunAt(ws));
  }

  async patchSettings(ws: string, body: unknown): Promise<SyncSettings> {
    const { next_run_at, ...patch } = validated(() => validateSyncSettingsUpdate(body));
    const at = next_run_at === undefined ? undefined : await checkNextRunAt(this.o.store, ws, next_run_at, this.clock.now());
    const before = await this.o.store.getSettings(ws);
    const after: StoredSettings = { ...before, ...patch };
    await this.o.store.putSettings(ws, after);
    if (after.frequency_minutes !== before.frequency_minutes) await this.reschedule(ws, after.frequency_minutes);
    if (at !== undefined) await applyNextRunAt(this.o.store, ws, at);
    this.o.onScheduleChange?.();
    return this.getSettings(ws);
  }

  async status(id: string): Promise<SyncStatus> {
    const c = await this.mustGet(id);
    const state = (await this.o.store.getState(id)) ?? initialState(id);
    return statusView(state, (await this.o.store.getSettings(c.workspace_id)).schedule_enabled);
  }

  async listReports(ws: string, limitParam: string | null): Promise<ListResponse<ReturnType<typeof reportView>>> {
    const limit = limitParam === null ? 20 : validated(() => validateLimit(/^\d+$/.test(limitParam) ? Number(limitParam) : limitParam));
    return { items: (await this.o.store.listReports({ workspaceId: ws, limit: Math.min(limit, 1000) })).map(reportView) };
  }

  async doctor(ws: string, fromDate: string | null, toDate: string | null): Promise<DoctorReport> {
    return buildDoctor(ws, { store: this.o.store, probe: this.probe, now: this.clock.now() }, fromDate, toDate);
  }

  private async mustGet(id: string): Promise<StoredCredential> {
    const c = await this.o.store.getCredential(id);
    if (!c) throw notFound("credential", id);
    return c;
  }

  private async nextRunAt(ws: string): Promise<string | null> {
    const times: string[] = [];
    for (const c of await this.o.store.listCredentials(ws)) {
      const next = (await this.o.store.getState(c.id))?.next_run_at;
      if (next) times.push(next);
    }
    return times.sort()[0] ?? null;
  }

  private async reschedule(ws: string, frequency: number): Promise<void> {
    for (const c of await this.o.store.listCredentials(ws)) {
      const s = await this.o.store.getState(c.id);
      if (!s?.last_run_started_at || !s.next_run_at) continue;
      const next = Date.parse(s.last_run_started_at) + minutes(Math.max(MIN_FREQUENCY_MINUTES, frequency));
      await this.o.store.putState({ ...s, next_run_at: new Date(next).toISOString() });
    }
  }
}

/** The engine's outbound guard, as a 422 on `config.base_url` (beyond the shared http(s) check). */
function guardBaseUrl(config: StoredCredential["config"]): StoredCredential["config"] {
  try {
    parseBaseUrl(config.base_url);
  } catch (err) {
    throw new SyncServiceError(
      422,
      "invalid_value",
      `config.base_url: ${(err as Error).message}`,
      "config.base_url",
      "an http:// or https:// URL without credentials, query or fragment",
    );
  }
  return {
    public_key: config.public_key.trim(),
    secret_key: config.secret_key.trim(),
    base_url: config.base_url.trim().replace(/\/+$/, ""),
  };
}
