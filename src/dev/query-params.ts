import { HttpError } from "./http.js";
import type { TraceFilters } from "./store/read-traces.js";

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

function bad(message: string): HttpError {
  return new HttpError(400, "invalid_parameter", message);
}

/** `limit`: 1..`max` (500), default `fallback` (50). */
export function parseLimit(q: URLSearchParams, max = MAX_LIMIT, fallback = DEFAULT_LIMIT): number {
  const raw = q.get("limit");
  if (raw === null || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw bad(`limit must be an integer from 1 to ${max}, got ${JSON.stringify(raw)}`);
  return n;
}

/** A time filter: an ISO 8601 date/time, or unix epoch milliseconds. Returns unix nanoseconds. */
export function parseTime(name: string, raw: string | null): string | undefined {
  if (raw === null || raw === "") return undefined;
  const ms = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(ms)) throw bad(`${name} must be an ISO 8601 time or unix milliseconds, got ${JSON.stringify(raw)}`);
  return (BigInt(Math.trunc(ms)) * 1_000_000n).toString();
}

function optional(q: URLSearchParams, name: string): string | undefined {
  const v = q.get(name);
  return v === null || v === "" ? undefined : v;
}

/** The `GET /workspaces/{ws}/traces` query string. */
export function parseTraceFilters(q: URLSearchParams): TraceFilters {
  const status = optional(q, "status");
  if (status !== undefined && status !== "ok" && status !== "error")
    throw bad(`status must be "ok" or "error", got ${JSON.stringify(status)}`);
  return {
    limit: parseLimit(q),
    cursor: optional(q, "cursor"),
    startNs: parseTime("start_time", q.get("start_time")),
    endNs: parseTime("end_time", q.get("end_time")),
    q: optional(q, "q"),
    status,
    model: optional(q, "model"),
    userId: optional(q, "user_id"),
    sessionId: optional(q, "session_id"),
    environment: optional(q, "environment"),
    release: optional(q, "release"),
  };
}
