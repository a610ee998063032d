/**
 * `@bentolabs/sdk/api`: the typed client of Bento's management API (credentials, sync,
 * workspaces, identity, traces and spans).
 * Explicit named exports only; this is the whole public surface of the subpath.
 */

export { BentoAuthError, BentoConfigError } from "../errors.js";
export type { BentoClient, ClientOptions } from "./client.js";
export { createClient } from "./client.js";
export type { CredentialsApi } from "./credentials.js";
export type { BentoApiErrorCode, BentoValidationErrorCode } from "./errors.js";
export { BentoApiError, BentoValidationError } from "./errors.js";
export type { ApiRequest, ApiResponse, HttpMethod } from "./http.js";
export type { AuthApi, SpanListOptions, TraceListOptions, TracesApi, WorkspacesApi } from "./platform.js";
export type { Page, Span, TraceDetail, TraceSummary, Whoami, Workspace } from "./platform-types.js";
export { parseRetryAfter } from "./retry.js";
export type { DoctorOptions, ListReportsOptions, SyncApi } from "./sync.js";
export type {
  Credential,
  CredentialConfig,
  CredentialCreate,
  CredentialUpdate,
  Doctor,
  DoctorCredential,
  HealthCheckResult,
  HealthStatus,
  ListResponse,
  RedactedCredentialConfig,
  SourceType,
  SyncReport,
  SyncReportError,
  SyncSettings,
  SyncSettingsUpdate,
  SyncState,
  SyncStatus,
  WorkspaceOptions,
} from "./types.js";
export {
  FREQUENCY_MINUTES,
  LANGFUSE_CONFIG_KEYS,
  MAX_TRACES_PER_SYNC,
  parseJsonBody,
  SOURCE_TYPES,
  type SourceTypeOptions,
  SYNC_SETTINGS_FIELDS,
  validateCredentialCreate,
  validateCredentialUpdate,
  validateDate,
  validateFrequencyMinutes,
  validateId,
  validateLangfuseConfig,
  validateLimit,
  validateMaxTracesPerSync,
  validateNextRunAt,
  validateScheduleEnabled,
  validateSourceType,
  validateSyncSettingsUpdate,
  validateTimeFilter,
} from "./validate.js";
