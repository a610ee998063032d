import { createHash, randomUUID } from "node:crypto";
import { createLangfuseClient, type LangfuseClient, type LangfuseClientOptions } from "./langfuse/client.js";
import { LangfuseError } from "./langfuse/errors.js";
import { readV1Window } from "./langfuse/read-v1.js";
import { readV2Window, type TraceBundle, WindowTooLarge } from "./langfuse/read-v2.js";
import { mapTrace } from "./mapping/trace.js";
import type { SpanSink } from "./sink.js";
import type { StoredReport, StoredSettings, SyncStore } from "./store.js";
import type { CredentialSyncState, ImportedSpan, SeenTrace, StoredCredential } from "./types.js";
import { DEFAULT_WINDOW, planSlices, type Slice, type WindowOptions } from "./window.js";

export interface ImportDeps {
  store: SyncStore;
  sink: SpanSink;
  now?: () => number;
  signal?: AbortSignal;
  client?: LangfuseClientOptions;
  /** Tests and the scheduler may hand in a client; by default one is built from the credential. */
  createClient?: (c: StoredCredential) => LangfuseClient;
  window?: Partial<WindowOptions>;
  /** v2 rows per page (max 1000) and v1 traces per page (max 100). */
  pageSize?: { v2?: number; v1?: number };
}

export const initialState = (credentialId: string): CredentialSyncState => ({
  credential_id: credentialId,
  status: "idle",
  last_run_started_at: null,
  last_run_finished_at: null,
  last_success_at: null,
  next_run_at: null,
  last_error: null,
  last_run_traces: null,
  watermark: null,
  api_version: null,
  seen: {},
});

const fingerprint = (spans: ImportedSpan[]) => createHash("sha1").update(JSON.stringify(spans)).digest("hex");
const traceTs = (b: TraceBundle) => b.trace.timestamp;

class Run {
  created = 0;
  updated = 0;
  skipped = 0;
  failed = 0;
  spans = 0;
  /** A trace counts once per run even when two slices both touch it (a trace straddling a boundary). */
  readonly touched = new Set<string>();
  count(traceId: string, kind: "created" | "updated" | "skipped" | "failed") {
    if (this.touched.has(traceId) && kind !== "failed") return;
    this.touched.add(traceId);
    this[kind]++;
  }
  errors: { message: string; trace_id?: string }[] = [];
  get processed() {
    return this.created + this.updated + this.skipped + this.failed;
  }
  error(message: string, trace_id?: string) {
    if (this.errors.length < 50) this.errors.push(trace_id ? { message, trace_id } : { message });
  }
}

/**
 * One import of one credential: read the overlapping window slice by slice (v2, or v1 when the
 * deployment has no v2), map every trace, upsert changed ones, and record a report. Never throws
 * for upstream problems: they end up in the report and the credential's status.
 */
export async function runImport(credential: StoredCredential, settings: StoredSettings, deps: ImportDeps): Promise<StoredReport> {
  const now = deps.now ?? Date.now;
  const w = { ...DEFAULT_WINDOW, ...deps.window };
  const started = now();
  const state = (await deps.store.getState(credential.id)) ?? initialState(credential.id);
  await deps.store.putState({ ...state, status: "running", last_run_started_at: new Date(started).toISOString() });

  const run = new Run();
  const slices = planSlices(state.watermark, started, w);
  let api = state.api_version === "v1" ? ("v1" as const) : ("v2" as const);
  let watermark = state.watermark;
  let aborted = false;
  let limited = false;
  try {
    const client = (deps.createClient ?? ((c) => createLangfuseClient(c.config, { ...deps.client, signal: deps.signal, now })))(credential);
    const queue = [...slices];
    for (let slice = queue.shift(); slice; slice = queue.shift()) {
      const budget = settings.max_traces_per_sync - run.processed;
      if (budget <= 0) {
        limited = true;
        break;
      }
      if (deps.signal?.aborted) throw new LangfuseError({ code: "aborted", message: "import stopped: the server is shutting down" });
      let read: SliceRead;
      try {
        read = await readSlice(client, slice, api, budget, state, deps);
      } catch (err) {
        const span = slice.to.getTime() - slice.from.getTime();
        if (!(err instanceof WindowTooLarge)) throw err;
        if (span < 2 * MIN_SLICE_MS) {
          read = await readSlice(client, slice, api, budget, state, deps, false);
        } else {
          // too many traces for the budget: halve the window, older half first
          const mid = new Date(slice.from.getTime() + Math.floor(span / 2));
          queue.unshift({ from: slice.from, to: mid }, { from: mid, to: slice.to });
          continue;
        }
      }
      api = read.api;
      await store(read.bundles, run, state, credential, deps);
      run.skipped += read.unchanged;
      if (read.resumeAt) {
        watermark = read.resumeAt;
        limited = true;
        break;
      }
      watermark = slice.to.toISOString();
    }
  } catch (err) {
    aborted = true;
    run.error(describe(err));
  }
  if (limited)
    run.error(`max_traces_per_sync (${settings.max_traces_per_sync}) reached; the next run continues from ${watermark ?? "the start"}`);

  const finished = now();
  const status = aborted
    ? run.processed > run.failed
      ? "partial"
      : "fail"
    : run.failed > 0
      ? run.processed > run.failed
        ? "partial"
        : "fail"
      : "ok";
  const report: StoredReport = {
    id: `rep_${randomUUID()}`,
    credential_id: credential.id,
    workspace_id: credential.workspace_id,
    status,
    started_at: new Date(started).toISOString(),
    finished_at: new Date(finished).toISOString(),
    duration_ms: finished - started,
    created: run.created,
    updated: run.updated,
    skipped: run.skipped,
    failed: run.failed,
    errors: run.errors,
    api_version: api,
    window_from: slices[0]?.from.toISOString() ?? null,
    window_to: slices[slices.length - 1]?.to.toISOString() ?? null,
    spans_upserted: run.spans,
  };
  // the report first: once the status says the run finished, its report is listed
  await deps.store.addReport(report);
  const latest = (await deps.store.getState(credential.id)) ?? state;
  await deps.store.putState({
    ...latest,
    seen: prune(state.seen, slices[0]?.from),
    status,
    watermark,
    api_version: api,
    last_run_finished_at: report.finished_at,
    last_run_traces: run.created + run.updated + run.skipped,
    last_success_at: status === "fail" ? state.last_success_at : report.finished_at,
    last_error: run.errors[0]?.message ?? null,
  });
  return report;
}

interface SliceRead {
  api: "v1" | "v2";
  bundles: TraceBundle[];
  unchanged: number;
  resumeAt?: string;
}

/** Windows are halved down to this size when one holds more traces than the run may take. */
const MIN_SLICE_MS = 60_000;

async function readSlice(
  client: LangfuseClient,
  slice: Slice,
  api: "v1" | "v2",
  budget: number,
  state: CredentialSyncState,
  deps: ImportDeps,
  bounded = true,
): Promise<SliceRead> {
  if (api === "v1") {
    try {
      return await readSliceV1(client, slice, budget, state, deps);
    } catch (err) {
      // the deployment moved to Langfuse v4 (events_only): v1 routes now 404, v2 is the way
      if (!(err instanceof LangfuseError && err.code === "v1_unavailable")) throw err;
    }
  }
  try {
    const { bundles } = await readV2Window(client, slice, {
      pageSize: deps.pageSize?.v2 ?? 1000,
      maxTraces: bounded ? budget : Infinity,
      storedStart: (id) => state.seen[id]?.start,
    });
    bundles.sort((a, b) => traceTs(a).localeCompare(traceTs(b)));
    if (bundles.length <= budget) return { api: "v2", bundles, unchanged: 0 };
    return { api: "v2", bundles: bundles.slice(0, budget), unchanged: 0, resumeAt: traceTs(bundles[budget]!) };
  } catch (err) {
    if (!(err instanceof LangfuseError && err.code === "v2_unavailable")) throw err;
    return readSliceV1(client, slice, budget, state, deps);
  }
}

async function readSliceV1(
  client: LangfuseClient,
  slice: Slice,
  budget: number,
  state: CredentialSyncState,
  deps: ImportDeps,
): Promise<SliceRead> {
  const bundles: TraceBundle[] = [];
  let unchanged = 0;
  // observation-only updates leave the list item alone except for cost/count/latency: re-read open traces
  const unchangedFn = (id: string, fp: string) => state.seen[id]?.list === fp && !state.seen[id]?.open;
  for await (const item of readV1Window(client, slice, { pageSize: deps.pageSize?.v1 ?? 100, unchanged: unchangedFn })) {
    if (bundles.length + unchanged >= budget) return { api: "v1", bundles, unchanged, resumeAt: item.timestamp };
    if (item.bundle) bundles.push(item.bundle);
    else unchanged++;
  }
  return { api: "v1", bundles, unchanged };
}

async function store(bundles: TraceBundle[], run: Run, state: CredentialSyncState, c: StoredCredential, deps: ImportDeps): Promise<void> {
  const origin = { workspaceId: c.workspace_id, credentialId: c.id };
  const baseUrl = c.config.base_url.replace(/\/+$/, "");
  const pending: { id: string; spans: ImportedSpan[]; seen: SeenTrace; isNew: boolean }[] = [];
  for (const b of bundles) {
    try {
      const spans = mapTrace(b.trace, b.observations, { baseUrl });
      const seen = seenOf(b, spans);
      const prev = state.seen[b.trace.id];
      if (prev?.fp === seen.fp || (prev && poorer(seen, prev))) {
        // unchanged, or a partial read of a trace stored whole: keep what is stored
        run.count(b.trace.id, "skipped");
        state.seen[b.trace.id] = { ...prev, list: b.listFingerprint ?? prev.list, last: max(prev.last, seen.last) };
        continue;
      }
      pending.push({ id: b.trace.id, spans, seen, isNew: !prev?.fp });
    } catch (err) {
      run.count(b.trace.id, "failed");
      run.error(`could not map trace: ${describe(err)}`, b.trace.id);
    }
  }
  const commit = (p: (typeof pending)[number]) => {
    state.seen[p.id] = p.seen;
    run.count(p.id, p.isNew ? "created" : "updated");
    run.spans += p.spans.length;
  };
  for (let i = 0; i < pending.length; i += 50) {
    const batch = pending.slice(i, i + 50);
    try {
      await deps.sink.upsert(
        batch.flatMap((p) => p.spans),
        origin,
      );
      batch.forEach(commit);
    } catch {
      for (const p of batch) {
        try {
          await deps.sink.upsert(p.spans, origin);
          commit(p);
        } catch (err) {
          run.count(p.id, "failed");
          run.error(`could not store trace: ${describe(err)}`, p.id);
        }
      }
    }
  }
}

/** What to remember about a stored trace (see {@link SeenTrace}). */
function seenOf(b: TraceBundle, spans: ImportedSpan[]): SeenTrace {
  const starts = b.observations.map((o) => o.startTime).sort();
  return {
    fp: fingerprint(spans),
    ts: b.trace.timestamp,
    list: b.listFingerprint,
    start: starts[0] ?? b.trace.timestamp,
    last: starts[starts.length - 1] ?? b.trace.timestamp,
    // an EVENT without an end time is a point in time (legacy ingestion), not a span still running
    n: b.observations.length,
    open: b.observations.some((o) => o.endTime === null && o.type !== "EVENT"),
    root: !spans.some((s) => s.attributes_json["langfuse.synthetic_root"] === true),
  };
}

/** Langfuse never deletes single observations: fewer of them, or a lost root, means a partial read. */
function poorer(next: SeenTrace, prev: SeenTrace): boolean {
  return (prev.n !== undefined && (next.n ?? 0) < prev.n) || (prev.root === true && next.root === false);
}

const max = (a: string | undefined, b: string | undefined) => (a === undefined ? b : b === undefined ? a : a > b ? a : b);

/** Forget traces that fell out of every future window (by their latest activity, so long runs stay). */
function prune(seen: CredentialSyncState["seen"], from: Date | undefined): CredentialSyncState["seen"] {
  if (!from) return seen;
  const cutoff = new Date(from.getTime() - 24 * 60 * 60 * 1000).toISOString();
  return Object.fromEntries(Object.entries(seen).filter(([, v]) => (max(v.last, v.ts) ?? "") >= cutoff));
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
