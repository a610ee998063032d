import type { SyncReport } from "../api/types.js";
import type { CredentialSyncState, StoredCredential } from "./types.js";

/** Workspace schedule as stored; `next_run_at` is derived from the credentials' states. */
export interface StoredSettings {
  schedule_enabled: boolean;
  frequency_minutes: number;
  max_traces_per_sync: number;
}

export const DEFAULT_SETTINGS: StoredSettings = { schedule_enabled: true, frequency_minutes: 60, max_traces_per_sync: 5000 };

/** A finished run's report, with the bookkeeping the API view leaves out. */
export interface StoredReport extends SyncReport {
  workspace_id: string;
  api_version: "v2" | "v1" | null;
  window_from: string | null;
  window_to: string | null;
  spans_upserted: number;
}

export interface ReportQuery {
  workspaceId?: string;
  credentialId?: string;
  /** Reports that started at or after this instant (ISO). */
  from?: string;
  /** Reports that started before this instant (ISO). */
  to?: string;
  /** Most recent N (default all). */
  limit?: number;
}

/**
 * Everything the sync engine persists: credentials (with their secret), workspace settings,
 * per-credential import state and run reports. The dev server keeps it inside its data dir.
 */
export interface SyncStore {
  listCredentials(workspaceId?: string): Promise<StoredCredential[]>;
  getCredential(id: string): Promise<StoredCredential | undefined>;
  putCredential(credential: StoredCredential): Promise<void>;
  /** Removes the credential and its import state; reports stay as history. */
  deleteCredential(id: string): Promise<boolean>;
  getSettings(workspaceId: string): Promise<StoredSettings>;
  putSettings(workspaceId: string, settings: StoredSettings): Promise<void>;
  getState(credentialId: string): Promise<CredentialSyncState | undefined>;
  putState(state: CredentialSyncState): Promise<void>;
  addReport(report: StoredReport): Promise<void>;
  /** Newest first. */
  listReports(query: ReportQuery): Promise<StoredReport[]>;
}

export interface SyncData {
  credentials: Record<string, StoredCredential>;
  settings: Record<string, StoredSettings>;
  states: Record<string, CredentialSyncState>;
  reports: StoredReport[];
}

export const emptySyncData = (): SyncData => ({ credentials: {}, settings: {}, states: {}, reports: [] });

/** Reports kept per store; older ones are dropped (the doctor looks at a bounded window anyway). */
export const MAX_REPORTS = 1000;

const clone = <T>(v: T): T => structuredClone(v);

/** In-memory store; {@link FileSyncStore} persists the same data. Returns copies, never aliases. */
export class MemorySyncStore implements SyncStore {
  constructor(protected data: SyncData = emptySyncData()) {}

  /** Called after every mutation; the file store writes to disk here. */
  protected async changed(): Promise<void> {}

  async listCredentials(workspaceId?: string) {
    const all = Object.values(this.data.credentials).filter((c) => workspaceId === undefined || c.workspace_id === workspaceId);
    return clone(all.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id)));
  }
  async getCredential(id: string) {
    const c = this.data.credentials[id];
    return c ? clone(c) : undefined;
  }
  async putCredential(c: StoredCredential) {
    this.data.credentials[c.id] = clone(c);
    await this.changed();
  }
  async deleteCredential(id: string) {
    if (!this.data.credentials[id]) return false;
    delete this.data.credentials[id];
    delete this.data.states[id];
    await this.changed();
    return true;
  }
  async getSettings(ws: string) {
    return clone(this.data.settings[ws] ?? DEFAULT_SETTINGS);
  }
  async putSettings(ws: string, s: StoredSettings) {
    this.data.settings[ws] = clone(s);
    await this.changed();
  }
  async getState(id: string) {
    const s = this.data.states[id];
    return s ? clone(s) : undefined;
  }
  async putState(s: CredentialSyncState) {
    if (!this.data.credentials[s.credential_id]) return; // deleted while its import ran
    this.data.states[s.credential_id] = clone(s);
    await this.changed();
  }
  async addReport(r: StoredReport) {
    this.data.reports.push(clone(r));
    if (this.data.reports.length > MAX_REPORTS) this.data.reports.splice(0, this.data.reports.length - MAX_REPORTS);
    await this.changed();
  }
  async listReports(q: ReportQuery) {
    const hits = this.data.reports.filter(
      (r) =>
        (q.workspaceId === undefined || r.workspace_id === q.workspaceId) &&
        (q.credentialId === undefined || r.credential_id === q.credentialId) &&
        (q.from === undefined || r.started_at >= q.from) &&
        (q.to === undefined || r.started_at < q.to),
    );
    hits.sort((a, b) => b.started_at.localeCompare(a.started_at) || b.id.localeCompare(a.id));
    return clone(q.limit === undefined ? hits : hits.slice(0, q.limit));
  }
}
