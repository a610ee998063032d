import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { cp, mkdtemp, rename, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll } from "vitest";
import type { DevServer } from "../../src/dev/server.js";
import type { SpanRow } from "../../src/dev/span-row.js";
import { MIGRATIONS, migrate } from "../../src/dev/store/migrations.js";
import { openPglite } from "../../src/dev/store/pglite.js";

const PGLITE_VERSION: string = JSON.parse(
  readFileSync(new URL("../../node_modules/@electric-sql/pglite/package.json", import.meta.url), "utf8"),
).version;
const created: string[] = [];

// Registered while the importing test file is collected; hooks run in stack order, so this runs
// after the file's own afterAll has closed its servers.
afterAll(async () => {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/**
 * A fresh data dir whose embedded database is copied from a migrated template built once per
 * machine: creating a PGlite cluster costs ~5 s (initdb), copying one ~0.1 s. Each data dir is
 * ~40 MB, so the ones a test file made are removed after it.
 */
export async function freshDataDir(): Promise<string> {
  // keyed by the migrations' content: branches with different migrations never share a template
  const schema = createHash("sha256").update(JSON.stringify(MIGRATIONS)).digest("hex").slice(0, 12);
  const template = join(tmpdir(), `bentolabs-dev-template-pglite${PGLITE_VERSION}-${schema}`);
  if (!(await exists(join(template, "PG_VERSION")))) {
    const building = await mkdtemp(join(tmpdir(), "bentolabs-template-"));
    const db = await openPglite(building);
    await migrate(db);
    await db.close();
    // atomic: a concurrent test file either sees no template or a complete one
    await rename(building, template).catch(() => rm(building, { recursive: true, force: true }));
  }
  const dir = await mkdtemp(join(tmpdir(), "bentolabs-dev-test-"));
  created.push(dir);
  await cp(template, join(dir, "db"), { recursive: true });
  return dir;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
export const traceId = (n: number) => `aa${hex(n, 30)}`;
export const spanId = (n: number) => `bb${hex(n, 14)}`;

type Attr = string | number | boolean | string[] | number[] | boolean[] | Record<string, unknown>;

/** Encode a JS value as an OTLP JSON AnyValue (ints as strings, like the OTel JS exporter). */
export function anyValue(v: unknown): Record<string, unknown> {
  if (typeof v === "string") return { stringValue: v };
  if (typeof v === "boolean") return { boolValue: v };
  if (typeof v === "number") return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValue) } };
  if (v && typeof v === "object") {
    return { kvlistValue: { values: Object.entries(v).map(([key, value]) => ({ key, value: anyValue(value) })) } };
  }
  return {};
}

export interface SpanSpec {
  trace: number;
  span: number;
  parent?: number;
  name?: string;
  /** Start, milliseconds since the epoch. */
  startMs?: number;
  durationMs?: number;
  status?: 0 | 1 | 2;
  message?: string;
  attrs?: Record<string, Attr>;
}

export const BASE_MS = Date.UTC(2026, 0, 15, 12, 0, 0);

export function otlpSpan(s: SpanSpec): Record<string, unknown> {
  const start = BigInt(s.startMs ?? BASE_MS) * 1_000_000n;
  const end = start + BigInt(Math.round((s.durationMs ?? 10) * 1e6));
  return {
    traceId: traceId(s.trace),
    spanId: spanId(s.span),
    ...(s.parent !== undefined ? { parentSpanId: spanId(s.parent) } : {}),
    name: s.name ?? `span-${s.span}`,
    kind: 1,
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: end.toString(),
    attributes: Object.entries(s.attrs ?? {}).map(([key, value]) => ({ key, value: anyValue(value) })),
    status: s.status === undefined ? {} : { code: s.status, ...(s.message ? { message: s.message } : {}) },
  };
}

/** An ExportTraceServiceRequest holding `spans` under one resource and scope. */
export function otlpBody(spans: Array<Record<string, unknown>>): Record<string, unknown> {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: "dev-test" } }] },
        scopeSpans: [{ scope: { name: "test", version: "1.0.0" }, spans }],
      },
    ],
  };
}

export async function postTraces(
  server: Pick<DevServer, "url" | "apiKey">,
  body: unknown,
  opts: { gzip?: boolean; headers?: Record<string, string>; raw?: string | Buffer } = {},
): Promise<{ status: number; body: any }> {
  let payload: string | Buffer = opts.raw ?? JSON.stringify(body);
  const headers: Record<string, string> = { "content-type": "application/json", authorization: `Bearer ${server.apiKey}` };
  if (opts.gzip) {
    payload = gzipSync(payload);
    headers["content-encoding"] = "gzip";
  }
  const res = await fetch(`${server.url}/v1/traces`, { method: "POST", headers: { ...headers, ...opts.headers }, body: payload });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export async function getJson(
  server: Pick<DevServer, "url" | "apiKey">,
  path: string,
  key = server.apiKey,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, body: await res.json() };
}

/** A stored span row for store-level tests: a root span starting at BASE_MS, no payloads; `over` sets the rest. */
export function spanRow(over: Partial<SpanRow> & Pick<SpanRow, "trace_id" | "span_id">): SpanRow {
  const start = (BigInt(BASE_MS) * 1_000_000n).toString();
  return {
    parent_span_id: null,
    name: over.span_id,
    otel_kind: 1,
    span_kind: null,
    status_code: "ok",
    status_message: null,
    start_ns: start,
    end_ns: start,
    user_id: null,
    session_id: null,
    model: null,
    provider: null,
    input: null,
    output: null,
    tags: null,
    input_tokens: null,
    output_tokens: null,
    attributes: {},
    resource: {},
    scope: {},
    events: [],
    links: [],
    ...over,
  };
}
