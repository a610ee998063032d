import type { IncomingMessage, ServerResponse } from "node:http";
import { decodeBody, HttpError, readBody, sendJson } from "./http.js";
import { decodeTraceRequest } from "./otlp.js";
import { ShapeError } from "./otlp-values.js";
import type { Store } from "./store/index.js";
import { EngineCrashedError } from "./store/pglite-thread.js";
import { DatabaseUnavailableError } from "./store/postgres.js";

function checkContentType(header: string | undefined): void {
  const type = (header ?? "application/json").split(";")[0]!.trim().toLowerCase();
  if (type === "application/json" || type === "") return;
  const hint = type.includes("protobuf")
    ? "Protobuf is not accepted: Bento ingest requires OTLP/HTTP JSON. Configure the exporter for JSON"
    : `Content-Type ${JSON.stringify(type)} is not accepted: Bento ingest requires OTLP/HTTP JSON`;
  throw new HttpError(415, "unsupported_media_type", `${hint} (Content-Type: application/json).`);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch (err) {
    throw new HttpError(400, "invalid_json", `Body is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * `POST /v1/traces`: decode OTLP/HTTP JSON (optionally gzip) and answer only after the spans
 * are committed. Malformed spans are rejected individually through OTLP `partialSuccess`;
 * a request with nothing storable is a 400 naming the first problem.
 */
export async function handleIngest(
  req: IncomingMessage,
  res: ServerResponse,
  deps: { store: Store; maxBodyBytes: number; now: () => Date; warn?: (message: string) => void },
): Promise<void> {
  checkContentType(req.headers["content-type"]);
  const raw = await readBody(req, deps.maxBodyBytes);
  const body = await decodeBody(raw, req.headers["content-encoding"], deps.maxBodyBytes);
  let decoded;
  try {
    decoded = decodeTraceRequest(parseJson(body));
  } catch (err) {
    if (err instanceof ShapeError) throw new HttpError(400, "invalid_otlp", `Invalid OTLP trace request: ${err.message}.`);
    throw err;
  }
  const { spans, rejected } = decoded;
  if (spans.length === 0 && rejected.length > 0) {
    throw new HttpError(400, "invalid_otlp", `Invalid OTLP trace request: ${rejected[0]}.`);
  }
  try {
    await deps.store.write(spans, deps.now());
  } catch (err) {
    if (err instanceof DatabaseUnavailableError) {
      // possibly committed if the connection ended after the commit: a retry then replaces the same spans
      deps.warn?.(`dev server: a batch was answered 503 (the exporter retries it): ${err.message}`);
      res.setHeader("retry-after", "1");
      throw new HttpError(503, "database_unavailable", `${err.message}. Retry this batch: spans are upserted, never duplicated.`);
    }
    if (!(err instanceof EngineCrashedError)) throw err;
    // nothing of this batch was committed; exporters retry a 503
    res.setHeader("retry-after", "1");
    throw new HttpError(
      503,
      "engine_restarted",
      `The embedded database restarted while storing this batch (${err.message}); nothing of it was stored: retry it.`,
    );
  }
  if (rejected.length === 0) return sendJson(res, 200, {});
  const more = rejected.length > 1 ? ` (and ${rejected.length - 1} more)` : "";
  sendJson(res, 200, {
    partialSuccess: { rejectedSpans: String(rejected.length), errorMessage: `${rejected[0]}${more}` },
  });
}
