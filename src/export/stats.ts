import { log } from "../log.js";
import type { DropReason, ExportStats } from "./types.js";

const LOG_INTERVAL_MS = 60_000;

const WHY: Record<DropReason, string> = {
  queue_full: "the export queue is full",
  retry_exhausted: "retries were exhausted",
  rejected: "the endpoint rejected them",
  unauthorized: "the API key was rejected",
  too_large: "they were too large to export",
  shutdown_timeout: "shutdown timed out",
  after_shutdown: "they ended after shutdown",
  insecure_http: "the base URL is plain http:// to a non-loopback host",
  invalid_span: "they could not be encoded",
  not_configured: "tracing has no API key (set BENTOLABS_API_KEY or call init({ apiKey }))",
};

/** Reasons whose cause the exporter already reports once, clearly. */
const SELF_LOGGED = new Set<DropReason>(["unauthorized", "rejected", "insecure_http"]);

/** What one export produced. */
export interface Outcome {
  exported: number;
  dropped: Partial<Record<DropReason, number>>;
}

export function emptyOutcome(): Outcome {
  return { exported: 0, dropped: {} };
}

export function addDrop(o: Outcome, reason: DropReason, n: number): void {
  if (n > 0) o.dropped[reason] = (o.dropped[reason] ?? 0) + n;
}

/** Export counters; each drop reason logs at most one line per minute with its running count. */
export class Counters {
  emitted = 0;
  exported = 0;
  readonly dropped: Partial<Record<DropReason, number>> = {};

  drop(reason: DropReason, n = 1): void {
    if (n <= 0) return;
    const total = (this.dropped[reason] = (this.dropped[reason] ?? 0) + n);
    if (SELF_LOGGED.has(reason)) return;
    log.warnEvery(`drop_${reason}`, LOG_INTERVAL_MS, `Dropped spans because ${WHY[reason]} (${reason}): ${total} so far.`);
  }

  apply(o: Outcome): void {
    this.exported += o.exported;
    for (const [reason, n] of Object.entries(o.dropped)) this.drop(reason as DropReason, n);
  }

  snapshot(queued: number): ExportStats {
    return { emitted: this.emitted, exported: this.exported, queued, dropped: { ...this.dropped } };
  }
}
