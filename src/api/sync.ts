import { credentialPath } from "./credentials.js";
import type { Transport } from "./http.js";
import type { Doctor, ListResponse, SyncReport, SyncSettings, SyncSettingsUpdate, SyncStatus, WorkspaceOptions } from "./types.js";
import { validateDate, validateLimit, validateSyncSettingsUpdate } from "./validate.js";

export interface ListReportsOptions extends WorkspaceOptions {
  /** Most recent N reports. */
  limit?: number;
}

export interface DoctorOptions extends WorkspaceOptions {
  /** `YYYY-MM-DD` or ISO timestamp; sent as `from_date`. */
  fromDate?: string;
  /** `YYYY-MM-DD` or ISO timestamp; sent as `to_date`. */
  toDate?: string;
}

/** The scheduled import: settings, per-credential status, run reports and the doctor (SPEC §8). */
export interface SyncApi {
  /** `GET /workspaces/{ws}/sync-settings` */
  getWorkspaceSettings(options?: WorkspaceOptions): Promise<SyncSettings>;
  /** `PATCH /workspaces/{ws}/sync-settings` with only the changed fields. */
  updateWorkspaceSettings(patch: SyncSettingsUpdate, options?: WorkspaceOptions): Promise<SyncSettings>;
  /** `GET /credentials/{id}/sync/status` */
  status(credentialId: string): Promise<SyncStatus>;
  /** `GET /workspaces/{ws}/sync-reports?limit=N` */
  listWorkspaceReports(options?: ListReportsOptions): Promise<ListResponse<SyncReport>>;
  /** `GET /workspaces/{ws}/sync-doctor?from_date=D&to_date=D` */
  getDoctor(options?: DoctorOptions): Promise<Doctor>;
}

export function createSyncApi(send: Transport, workspacePath: (o?: WorkspaceOptions) => string): SyncApi {
  return {
    getWorkspaceSettings: async (options) =>
      (await send<SyncSettings>({ method: "GET", path: `${workspacePath(options)}/sync-settings` })).body,
    updateWorkspaceSettings: async (patch, options) => {
      const path = `${workspacePath(options)}/sync-settings`;
      return (await send<SyncSettings>({ method: "PATCH", path, body: validateSyncSettingsUpdate(patch) })).body;
    },
    status: async (id) => (await send<SyncStatus>({ method: "GET", path: `${credentialPath(id)}/sync/status` })).body,
    listWorkspaceReports: async (options = {}) => {
      const limit = options.limit === undefined ? undefined : validateLimit(options.limit);
      const path = `${workspacePath(options)}/sync-reports`;
      return (await send<ListResponse<SyncReport>>({ method: "GET", path, query: { limit } })).body;
    },
    getDoctor: async (options = {}) => {
      const from_date = options.fromDate === undefined ? undefined : validateDate(options.fromDate, "from-date");
      const to_date = options.toDate === undefined ? undefined : validateDate(options.toDate, "to-date");
      const path = `${workspacePath(options)}/sync-doctor`;
      return (await send<Doctor>({ method: "GET", path, query: { from_date, to_date } })).body;
    },
  };
}
