/**
 * The Langfuse sync engine (SPEC §8, docs/sync.md): storage-agnostic, used by `bentolabs dev`.
 * Internal to the package: the dev server wires it to its span store and its HTTP router.
 */
export { SyncService } from "./service.js";
export type { SyncServiceOptions } from "./service.js";
export { SyncScheduler } from "./scheduler.js";
export type { SchedulerOptions } from "./scheduler.js";
export { SyncServiceError } from "./errors.js";
export { runImport } from "./importer.js";
export type { ImportDeps } from "./importer.js";
export { checkHealth } from "./health.js";
export type { HealthResult, HealthCode } from "./health.js";
export { MemorySyncStore, DEFAULT_SETTINGS } from "./store.js";
export type { SyncStore, StoredReport, StoredSettings, ReportQuery } from "./store.js";
export { FileSyncStore } from "./file-store.js";
export { MemorySpanSink } from "./sink.js";
export type { SpanSink } from "./sink.js";
export { systemClock, MIN_FREQUENCY_MINUTES } from "./clock.js";
export type { Clock } from "./clock.js";
export type { ImportedSpan, StoredCredential, CredentialSyncState } from "./types.js";
export { mapTrace } from "./mapping/trace.js";
export { createLangfuseClient } from "./langfuse/client.js";
export { LangfuseError } from "./langfuse/errors.js";
export type { LangfuseErrorCode } from "./langfuse/errors.js";
