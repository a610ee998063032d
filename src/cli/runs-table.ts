import { maskSecrets } from "./mask.js";
import { grid } from "./table.js";

/**
 * `--output table` for traces and spans: the columns of the dev viewer's Runs table (started,
 * name, status, models, spans, tokens, duration, user, session), led by the id to copy into
 * `traces get`. Pure: rows in, text out. Values are masked like every other output.
 */

type Row = Record<string, unknown>;

const MAX_CELL = 40;

function cell(v: unknown): string {
  if (v === undefined || v === null || v === "") return "–";
  const s = (typeof v === "string" ? v : String(v)).replace(/\s+/g, " ");
  return s.length > MAX_CELL ? `${s.slice(0, MAX_CELL - 1)}…` : s;
}

/** `2026-01-15 12:03:00` (UTC, seconds), as compact as the viewer's local time. */
export function started(iso: unknown): string {
  if (typeof iso !== "string") return "–";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 19).replace("T", " ");
}

/** The viewer's duration format: `4.2 ms`, `87 ms`, `2.40 s`. */
export function duration(ms: unknown): string {
  if (typeof ms !== "number" || !Number.isFinite(ms)) return "–";
  return ms < 1000 ? `${ms.toFixed(ms < 10 ? 1 : 0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

const list = (v: unknown) => (Array.isArray(v) ? v.join(", ") : v);

const RUN_COLUMNS: Array<[string, (r: Row) => unknown]> = [
  ["TRACE_ID", (r) => r.trace_id],
  ["STARTED (UTC)", (r) => started(r.start_time)],
  ["NAME", (r) => r.name],
  ["STATUS", (r) => r.status],
  ["MODELS", (r) => list(r.models)],
  ["SPANS", (r) => r.span_count],
  ["TOKENS", (r) => r.total_tokens],
  ["DURATION", (r) => duration(r.duration_ms)],
  ["USER", (r) => r.user_id],
  ["SESSION", (r) => r.session_id],
];

const SPAN_COLUMNS: Array<[string, (r: Row) => unknown]> = [
  ["SPAN_ID", (r) => r.span_id],
  ["PARENT", (r) => r.parent_span_id],
  ["STARTED (UTC)", (r) => started(r.start_time)],
  ["NAME", (r) => r.name],
  ["KIND", (r) => r.kind],
  ["STATUS", (r) => r.status],
  ["MODEL", (r) => r.model],
  ["TOKENS", (r) => (r.input_tokens == null && r.output_tokens == null ? null : `${cell(r.input_tokens)} / ${cell(r.output_tokens)}`)],
  ["DURATION", (r) => duration(r.duration_ms)],
];

function render(items: unknown, columns: Array<[string, (r: Row) => unknown]>, empty: string): string {
  const rows = Array.isArray(items) ? (maskSecrets(items) as Row[]) : [];
  if (rows.length === 0) return empty;
  return grid(
    columns.map(([h]) => h),
    rows.map((r) => columns.map(([, get]) => cell(get(r)))),
  );
}

/** A page of runs as the viewer's Runs table. */
export const renderRunsTable = (items: unknown) => render(items, RUN_COLUMNS, "(no runs)");

/** A page of spans, one row per span in start order. */
export const renderSpansTable = (items: unknown) => render(items, SPAN_COLUMNS, "(no spans)");
