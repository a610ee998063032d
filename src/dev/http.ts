import type { IncomingMessage, ServerResponse } from "node:http";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";

const gunzipAsync = promisify(gunzip);

/** An error that becomes a JSON response: `{ "error": code, "message": … }`. */
export class HttpError extends Error {
  override readonly name = "HttpError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  res.end(text);
}

export function sendError(res: ServerResponse, err: HttpError, extra: Record<string, unknown> = {}): void {
  sendJson(res, err.status, { error: err.code, message: err.message, ...extra });
}

/** Read the whole body, refusing more than `limit` bytes on the wire (413). */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, "payload_too_large", `Request body exceeds ${limit} bytes: send smaller batches.`);
}

/** Undo `Content-Encoding` (identity or gzip), bounding the decompressed size too (413). */
export async function decodeBody(raw: Buffer, encoding: string | undefined, limit: number): Promise<Buffer> {
  const enc = (encoding ?? "identity").trim().toLowerCase();
  if (enc === "identity" || enc === "") return raw;
  if (enc !== "gzip") {
    throw new HttpError(415, "unsupported_encoding", `Content-Encoding ${JSON.stringify(enc)} is not supported: send gzip or no encoding.`);
  }
  try {
    return await gunzipAsync(raw, { maxOutputLength: limit });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE" || err instanceof RangeError) throw tooLarge(limit);
    throw new HttpError(400, "invalid_gzip", "Body is not valid gzip although Content-Encoding says gzip.");
  }
}
