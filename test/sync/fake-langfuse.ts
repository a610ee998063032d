import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FakeData, selectV1TraceFields, selectV2Fields } from "./fake-langfuse-data.js";
import { FIXTURE_KEYS, loadFixture, type RawRecord } from "./fixtures.js";

/**
 * A faithful fake Langfuse public API on 127.0.0.1:0, built from shared/langfuse fixtures and
 * the notes' §7 checklist: exact auth/error bodies, v1 page/limit and v2 cursor pagination with
 * validation, field groups, deployment modes, and fault injection (429 JSON or text, 5xx, 524).
 */
export type FakeMode = "cloud" | "self-hosted-v3" | "self-hosted-v4";
export type FakeRoute = "health" | "projects" | "traces" | "trace" | "observations" | "v2" | "scores-v3";

export interface Fault {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export interface FakeRequest {
  route: FakeRoute | "other";
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
}

const catalog = loadFixture<Record<string, { status: number; body: unknown }>>("errors_catalog.json");
const e429 = loadFixture<
  {
    current_json_variant: {
      headers: Record<string, string>;
      body_other_routes_eg_v2_observations: unknown;
      body_GET_api_public_traces: unknown;
    };
    legacy_text_variant_before_2026_06_18?: unknown;
  } & Record<string, { headers: Record<string, string>; body_raw_text?: string }>
>("error_429.json");
const DEPRECATION = loadFixture<{ _deprecation: unknown }>("traces_page1.json")._deprecation;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const ORDER_COLUMNS = ["id", "timestamp", "name", "userId", "release", "version", "public", "bookmarked", "sessionId"];

export const faults = {
  rateLimitedJson: (retryAfter = "37"): Fault => ({
    status: 429,
    headers: { ...e429.current_json_variant.headers, "Retry-After": retryAfter },
    body: JSON.stringify(e429.current_json_variant.body_other_routes_eg_v2_observations),
  }),
  rateLimitedText: (retryAfter = "37"): Fault => {
    const legacy = e429["legacy_text_variant_before_2026-06-18"]!;
    return { status: 429, headers: { ...legacy.headers, "Retry-After": retryAfter }, body: legacy.body_raw_text! };
  },
  serverError: (): Fault => ({ status: 500, body: JSON.stringify({ message: "Internal Server Error" }) }),
  edgeTimeout: (): Fault => ({
    status: 524,
    headers: { "content-type": "text/html" },
    body: "<!DOCTYPE html><html><head><title>524: A timeout occurred</title></head><body>cloudflare</body></html>",
  }),
};

export class FakeLangfuse {
  readonly data = new FakeData();
  readonly requests: FakeRequest[] = [];
  mode: FakeMode = "cloud";
  keys: { public_key: string; secret_key: string } = { ...FIXTURE_KEYS };
  /** Observation ids whose v2 row is returned twice (v2 reads are not de-duplicated). */
  duplicateV2 = new Set<string>();
  private readonly queued: { route: FakeRoute | "*"; fault: Fault }[] = [];
  private server = createServer((req, res) => this.handle(req, res));
  url = "";

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }

  /** The next `times` requests to `route` answer with `fault` instead. */
  fail(route: FakeRoute | "*", fault: Fault, times = 1): void {
    for (let i = 0; i < times; i++) this.queued.push({ route, fault });
  }

  count(route: FakeRoute): number {
    return this.requests.filter((r) => r.route === route).length;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://fake");
    const route = routeOf(url.pathname);
    this.requests.push({ route, path: url.pathname, query: url.searchParams, authorization: req.headers.authorization });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = typeof body === "string" ? body : JSON.stringify(body);
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
      res.end(text);
    };
    if (route === "other")
      return send(404, "<!DOCTYPE html><html><body><h1>404: This page could not be found.</h1></body></html>", {
        "content-type": "text/html",
      });
    if (req.method !== "GET") return send(405, catalog["405_method_not_allowed"]!.body);
    const i = this.queued.findIndex((q) => q.route === route || q.route === "*");
    if (i >= 0) {
      const { fault } = this.queued.splice(i, 1)[0]!;
      return send(fault.status, fault.body, fault.headers);
    }
    if (route === "health") return send(200, loadFixture("health.json"));
    const denied = this.authError(req.headers.authorization);
    if (denied) return send(401, { message: denied });
    if (route === "projects") return send(200, loadFixture("projects.json"));
    if (route === "scores-v3") return this.scoresV3(url.searchParams, send);
    if (route === "v2") {
      if (this.mode === "self-hosted-v3") return send(404, catalog["404_v2_observations_on_v3_selfhosted"]!.body);
      return this.v2(url.searchParams, send);
    }
    if (this.mode === "self-hosted-v4") return send(404, catalog["404_v1_route_on_v4_events_only_selfhosted"]!.body);
    const deprecation = this.mode === "cloud" ? { _deprecation: DEPRECATION } : {};
    if (route === "traces") return this.traces(url.searchParams, send, deprecation);
    if (route === "trace") {
      const id = decodeURIComponent(url.pathname.split("/").pop() ?? "");
      const t = this.data.trace(id);
      if (!t) return send(404, { message: `Trace ${id} not found within authorized project`, error: "LangfuseNotFoundError" });
      const observations = [...(this.data.observations[id] ?? [])].reverse(); // event order, not start order
      return send(200, { ...t, ...this.data.computed(id), observations, scores: this.data.scores[id] ?? [], ...deprecation });
    }
    return this.observationsV1(url.searchParams, send, deprecation);
  }

  private authError(header: string | undefined): string | undefined {
    if (!header) return "No authorization header";
    if (!header.startsWith("Basic ")) return "Invalid authorization header";
    const [user, ...rest] = Buffer.from(header.slice(6), "base64").toString("utf8").split(":");
    if (!user || rest.length === 0 || !rest.join(":"))
      return "Invalid authorization header. Confirm that you've configured the correct host.";
    if (user !== this.keys.public_key || rest.join(":") !== this.keys.secret_key)
      return "Invalid credentials. Confirm that you've configured the correct host.";
    return undefined;
  }

  private traces(q: URLSearchParams, send: Send, extra: RawRecord): void {
    const bad = validate(q, { limitMax: 100, dates: ["fromTimestamp", "toTimestamp"] });
    if (bad) return send(400, bad);
    const orderBy = q.get("orderBy") ?? "timestamp.desc";
    const [col, dir] = orderBy.split(".");
    if (!ORDER_COLUMNS.includes(col ?? "") || (dir !== "asc" && dir !== "desc"))
      return send(400, { message: `Invalid order by column: ${col}`, error: "InvalidRequestError" });
    const limit = Number(q.get("limit") ?? 50);
    const page = Number(q.get("page") ?? 1);
    const hits = this.data.traces
      .filter((t) => inWindow(String(t.timestamp), q.get("fromTimestamp"), q.get("toTimestamp")))
      .sort((a, b) => String(a[col!] ?? "").localeCompare(String(b[col!] ?? "")) * (dir === "asc" ? 1 : -1));
    const data = hits
      .slice((page - 1) * limit, page * limit)
      .map((t) =>
        selectV1TraceFields(
          { ...t, ...this.data.computed(String(t.id)), scores: (this.data.scores[String(t.id)] ?? []).map((s) => s.id) },
          q.get("fields"),
        ),
      );
    send(200, { data, meta: { page, limit, totalItems: hits.length, totalPages: Math.ceil(hits.length / limit) }, ...extra });
  }

  private observationsV1(q: URLSearchParams, send: Send, extra: RawRecord): void {
    const bad = validate(q, { limitMax: 100, dates: ["fromStartTime", "toStartTime"] });
    if (bad) return send(400, bad);
    const limit = Number(q.get("limit") ?? 50);
    const page = Number(q.get("page") ?? 1);
    const all = Object.values(this.data.observations).flat();
    const hits = all
      .filter(
        (o) =>
          (!q.get("traceId") || o.traceId === q.get("traceId")) &&
          inWindow(String(o.startTime), q.get("fromStartTime"), q.get("toStartTime")),
      )
      .sort((a, b) => String(b.startTime).localeCompare(String(a.startTime)));
    send(200, {
      data: hits.slice((page - 1) * limit, page * limit),
      meta: { page, limit, totalItems: hits.length, totalPages: Math.ceil(hits.length / limit) },
      ...extra,
    });
  }

  private v2(q: URLSearchParams, send: Send): void {
    const bad = validate(q, { limitMax: 1000, limitMin: 0, dates: ["fromStartTime", "toStartTime"] });
    if (bad) return send(400, bad);
    if (q.get("parseIoAsJson") === "true")
      return send(400, { message: "parseIoAsJson is no longer supported", error: "InvalidRequestError" });
    const limit = Number(q.get("limit") ?? 50);
    let after: [string, number, string] | undefined;
    const cursor = q.get("cursor");
    if (cursor) {
      try {
        const c = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as {
          lastStartTimeTo: string;
          lastTraceId: string;
          lastId: string;
        };
        if (typeof c.lastStartTimeTo !== "string" || typeof c.lastId !== "string") throw new Error("shape");
        after = [c.lastStartTimeTo, hash32(c.lastTraceId), c.lastId];
      } catch {
        return send(400, catalog["400_v2_invalid_cursor"]!.body);
      }
    }
    const key = (r: RawRecord): [string, number, string] => [String(r.startTime), hash32(String(r.traceId)), String(r.id)];
    const rows = this.data
      .v2Rows()
      .filter(
        (r) =>
          (!q.get("traceId") || r.traceId === q.get("traceId")) &&
          inWindow(String(r.startTime), q.get("fromStartTime"), q.get("toStartTime")),
      )
      .flatMap((r) => (this.duplicateV2.has(String(r.id)) ? [r, r] : [r]))
      .sort((a, b) => -compare(key(a), key(b)))
      .filter((r) => !after || compare(key(r), after) < 0);
    const page = rows.slice(0, limit + 1);
    const more = page.length > limit;
    const data = page.slice(0, limit);
    const last = data[data.length - 1];
    const meta =
      more && last
        ? {
            cursor: Buffer.from(JSON.stringify({ lastStartTimeTo: last.startTime, lastTraceId: last.traceId, lastId: last.id })).toString(
              "base64",
            ),
          }
        : {};
    const expand = new Set(
      (q.get("expandMetadata") ?? "")
        .split(",")
        .map((k) => k.trim())
        .filter(Boolean),
    );
    send(200, { data: data.map((r) => cutMetadata(selectV2Fields(r, q.get("fields")), expand)), meta });
  }

  /** `GET /api/public/v3/scores` (traceId list, cursor pagination, field groups) over the v1 score data. */
  private scoresV3(q: URLSearchParams, send: Send): void {
    const limit = Number(q.get("limit") ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      return send(400, { message: "Invalid request data", error: [{ path: ["limit"], message: "Too big: expected number to be <=100" }] });
    const fields = new Set((q.get("fields") ?? "core").split(","));
    const ids = new Set((q.get("traceId") ?? "").split(",").filter(Boolean));
    let after: [string, string] | undefined;
    if (q.get("cursor")) {
      const c = JSON.parse(Buffer.from(q.get("cursor")!, "base64url").toString("utf8")) as { lastTimestamp: string; lastId: string };
      after = [c.lastTimestamp, c.lastId];
    }
    const key = (s: RawRecord): [string, string] => [new Date(String(s.timestamp)).toISOString(), String(s.id)];
    const all = Object.entries(this.data.scores)
      .filter(([traceId]) => ids.size === 0 || ids.has(traceId))
      .flatMap(([, list]) => list)
      .sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0))
      .filter((s) => !after || key(s) < after);
    const data = all.slice(0, limit);
    const last = data[data.length - 1];
    const meta =
      all.length > limit && last
        ? { limit, cursor: Buffer.from(JSON.stringify({ v: 1, lastTimestamp: key(last)[0], lastId: last.id })).toString("base64url") }
        : { limit };
    send(200, { data: data.map((s) => toV3Score(s, fields)), meta });
  }
}

type Send = (status: number, body: unknown, headers?: Record<string, string>) => void;

function routeOf(path: string): FakeRequest["route"] {
  if (path === "/api/public/health") return "health";
  if (path === "/api/public/projects") return "projects";
  if (path === "/api/public/traces") return "traces";
  if (/^\/api\/public\/traces\/[^/]+$/.test(path)) return "trace";
  if (path === "/api/public/observations") return "observations";
  if (path === "/api/public/v2/observations") return "v2";
  if (path === "/api/public/v3/scores") return "scores-v3";
  return "other";
}

function validate(q: URLSearchParams, o: { limitMax: number; limitMin?: number; dates: string[] }): unknown {
  const limit = q.get("limit");
  if (limit !== null && (!/^\d+$/.test(limit) || Number(limit) > o.limitMax || Number(limit) < (o.limitMin ?? 1))) {
    return {
      message: "Invalid request data",
      error: [
        {
          origin: "number",
          code: Number(limit) > o.limitMax ? "too_big" : "too_small",
          maximum: o.limitMax,
          inclusive: true,
          path: ["limit"],
          message: `Too big: expected number to be <=${o.limitMax}`,
        },
      ],
    };
  }
  const page = q.get("page");
  if (page !== null && (!/^\d+$/.test(page) || Number(page) < 1))
    return { message: "Invalid request data", error: [{ path: ["page"], message: "Too small" }] };
  for (const d of o.dates) {
    const v = q.get(d);
    if (v !== null && !ISO.test(v))
      return {
        message: "Invalid request data",
        error: [{ origin: "string", code: "invalid_format", format: "datetime", path: [d], message: "Invalid ISO datetime" }],
      };
  }
  return undefined;
}

/** v2 reads metadata from a table that keeps the first 200 code points of each value (`leftUTF8`), unless expanded. */
function cutMetadata(row: RawRecord, expand: Set<string>): RawRecord {
  if (typeof row.metadata !== "object" || row.metadata === null) return row;
  const metadata: RawRecord = {};
  for (const [k, v] of Object.entries(row.metadata as RawRecord))
    metadata[k] = typeof v === "string" && !expand.has(k) ? [...v].slice(0, 200).join("") : v;
  return { ...row, metadata };
}

/** v1 score → v3 shape: one polymorphic `value`, groups `details` and `subject` on request. */
function toV3Score(s: RawRecord, fields: Set<string>): RawRecord {
  const type = String(s.dataType);
  const value = type === "NUMERIC" ? s.value : type === "BOOLEAN" ? s.value === 1 : s.stringValue;
  const subject = s.observationId ? { kind: "observation", id: s.observationId, traceId: s.traceId } : { kind: "trace", id: s.traceId };
  return {
    id: s.id,
    projectId: s.projectId,
    name: s.name,
    dataType: type,
    value,
    source: s.source,
    timestamp: s.timestamp,
    environment: s.environment,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    ...(fields.has("details") ? { comment: s.comment, configId: s.configId, metadata: s.metadata } : {}),
    ...(fields.has("subject") ? { subject } : {}),
  };
}

const inWindow = (ts: string, from: string | null, to: string | null) =>
  (from === null || Date.parse(ts) >= Date.parse(from)) && (to === null || Date.parse(ts) < Date.parse(to));

function compare(a: [string, number, string], b: [string, number, string]): number {
  const t = Date.parse(a[0]) - Date.parse(b[0]);
  if (t !== 0) return t;
  if (a[1] !== b[1]) return a[1] - b[1];
  return a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0;
}

/** Stand-in for ClickHouse's xxHash32(trace_id): any stable 32-bit hash keeps the order total. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
