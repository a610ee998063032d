import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

/** A span as decoded from an OTLP/HTTP JSON request body. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  attributes: Record<string, unknown>;
  status: { code?: number; message?: string };
  events: Array<{ name: string; attributes: Record<string, unknown> }>;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  resource: Record<string, unknown>;
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

type AnyValue = Record<string, unknown>;

/** Decode an OTLP JSON AnyValue into a plain JS value (ints become numbers). */
export function decodeValue(v: AnyValue | undefined): unknown {
  if (!v) return undefined;
  if ("stringValue" in v) return v.stringValue;
  if ("boolValue" in v) return v.boolValue;
  if ("intValue" in v) return Number(v.intValue);
  if ("doubleValue" in v) return v.doubleValue;
  if ("arrayValue" in v) return ((v.arrayValue as { values?: AnyValue[] }).values ?? []).map(decodeValue);
  if ("kvlistValue" in v) return decodeAttributes((v.kvlistValue as { values?: KeyValue[] }).values);
  return undefined;
}

/** Which OTLP JSON value type each attribute was sent as ("intValue", "doubleValue", …). */
export function valueTypes(raw: KeyValue[] | undefined): Record<string, string> {
  return Object.fromEntries((raw ?? []).map((kv) => [kv.key, Object.keys(kv.value ?? {})[0] ?? "none"]));
}

type KeyValue = { key: string; value?: AnyValue };
function decodeAttributes(list: KeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, decodeValue(kv.value)]));
}

/** A real OTLP/HTTP JSON receiver on 127.0.0.1:0 that records every request it gets. */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  readonly spans: ReceivedSpan[] = [];
  /** Raw attribute lists by span id, to check the wire value types. */
  readonly rawAttributes = new Map<string, KeyValue[]>();
  status = 200;
  private server: Server | undefined;
  url = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        let buf = Buffer.concat(chunks);
        if (req.headers["content-encoding"] === "gzip") buf = gunzipSync(buf);
        let body: unknown;
        try {
          body = JSON.parse(buf.toString("utf8"));
        } catch {
          body = buf.toString("utf8");
        }
        this.requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
        if (this.status === 200) this.ingest(body);
        res.writeHead(this.status, { "content-type": "application/json" });
        res.end("{}");
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  private ingest(body: unknown): void {
    const rs = (body as { resourceSpans?: Array<Record<string, any>> }).resourceSpans ?? [];
    for (const r of rs) {
      const resource = decodeAttributes(r.resource?.attributes);
      for (const ss of r.scopeSpans ?? []) {
        for (const s of ss.spans ?? []) {
          this.rawAttributes.set(s.spanId, s.attributes ?? []);
          this.spans.push({
            traceId: s.traceId,
            spanId: s.spanId,
            parentSpanId: s.parentSpanId || undefined,
            name: s.name,
            attributes: decodeAttributes(s.attributes),
            status: s.status ?? {},
            events: (s.events ?? []).map((e: any) => ({ name: e.name, attributes: decodeAttributes(e.attributes) })),
            startTimeUnixNano: String(s.startTimeUnixNano),
            endTimeUnixNano: String(s.endTimeUnixNano),
            resource,
          });
        }
      }
    }
  }

  span(name: string): ReceivedSpan {
    const found = this.spans.filter((s) => s.name === name);
    if (found.length !== 1)
      throw new Error(`expected exactly one span named ${name}, got ${found.length} (have: ${this.spans.map((s) => s.name).join(", ")})`);
    return found[0]!;
  }

  byId(spanId: string): ReceivedSpan | undefined {
    return this.spans.find((s) => s.spanId === spanId);
  }

  reset(): void {
    this.requests.length = 0;
    this.spans.length = 0;
    this.rawAttributes.clear();
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

export const TEST_KEY = "bl_pk_test_sentinel_9f8e7d6c5b4a";
