/**
 * `@bentolabs/sdk/api`: the typed client of Bento's management API (credentials, sync,
 * workspaces, identity, traces and spans).
 * Explicit named exports only; this is the whole public surface of the subpath.
 */
export { createClient } from "./client.js";
export type { BentoClient, ClientOptions } from "./client.js";
export type { CredentialsApi } from "./credentials.js";
export type { SyncApi, ListReportsOptions, DoctorOptions } from "./sync.js";
export type { AuthApi, SpanListOptions, TraceListOptions, TracesApi, WorkspacesApi } from "./platform.js";
export type { Page, Span, TraceDetail, TraceSummary, Whoami, Workspace } from "./platform-types.js";
export type { ApiRequest, ApiResponse, HttpMethod } from "./http.js";
export { BentoApiError, BentoValidationError } from "./errors.js";
export type { BentoApiErrorCode, BentoValidationErrorCode } from "./errors.js";
export { parseRetryAfter } from "./retry.js";
export {
  FREQUENCY_MINUTES,
  LANGFUSE_CONFIG_KEYS,
  MAX_TRACES_PER_SYNC,
  SOURCE_TYPES,
  SYNC_SETTINGS_FIELDS,
  type SourceTypeOptions,
  parseJsonBody,
  validateCredentialCreate,
  validateCredentialUpdate,
  validateDate,
  validateFrequencyMinutes,
  validateId,
  validateLangfuseConfig,
  validateLimit,
  validateMaxTracesPerSync,
  validateNextRunAt,
  validateTimeFilter,
  validateScheduleEnabled,
  validateSourceType,
  validateSyncSettingsUpdate,
} from "./validate.js";
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
export { BentoAuthError, BentoConfigError } from "../errors.js";
