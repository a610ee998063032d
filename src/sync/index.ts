/**
 * The Langfuse sync engine (SPEC §8, docs/sync.md): storage-agnostic, used by `bentolabs dev`.
 * Internal to the package: the dev server wires it to its span store and its HTTP router.
 */

export type { Clock } from "./clock.js";
export { MIN_FREQUENCY_MINUTES, systemClock } from "./clock.js";
export { SyncServiceError } from "./errors.js";
export { FileSyncStore } from "./file-store.js";
export type { HealthCode, HealthResult } from "./health.js";
export { checkHealth } from "./health.js";
export type { ImportDeps } from "./importer.js";
export { runImport } from "./importer.js";
export { createLangfuseClient } from "./langfuse/client.js";
export type { LangfuseErrorCode } from "./langfuse/errors.js";
export { LangfuseError } from "./langfuse/errors.js";
export { mapTrace } from "./mapping/trace.js";
export type { SchedulerOptions } from "./scheduler.js";
export { SyncScheduler } from "./scheduler.js";
export type { SyncServiceOptions } from "./service.js";
export { SyncService } from "./service.js";
export type { SpanSink } from "./sink.js";
export { MemorySpanSink } from "./sink.js";
export type { ReportQuery, StoredReport, StoredSettings, SyncStore } from "./store.js";
export { DEFAULT_SETTINGS, MemorySyncStore } from "./store.js";
export type { CredentialSyncState, ImportedSpan, StoredCredential } from "./types.js";
