import { redact } from "../log.js";
import { BentoApiError } from "./errors.js";
import { type BackoffOptions, isIdempotent, isRetryableStatus, parseRetryAfter, retryDelay } from "./retry.js";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";

/** One management API call. `path` starts with `/` and may carry its own query string. */
export interface ApiRequest {
  method: HttpMethod;
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Serialized as JSON when present. */
  body?: unknown;
  /** `json` (default): a non-empty 2xx body that is not JSON is an `invalid_response` error. */
  expect?: "json" | "any";
}

/** A 2xx answer: the JSON body parsed, or the text when it is not JSON, or undefined when empty. */
export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
}

export interface TransportOptions extends BackoffOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  retries: number;
  fetch: typeof globalThis.fetch;
  userAgent: string;
  /** Injectable for tests; defaults to a real timer. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export type Transport = <T = unknown>(request: ApiRequest) => Promise<ApiResponse<T>>;

// Not unref()ed: a caller awaiting a retry must keep a short-lived process (the CLI) alive.
const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Append defined query values to a path, keeping any query string it already has. */
export function buildPath(path: string, query: ApiRequest["query"] = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.append(k, String(v));
  const qs = params.toString();
  if (!qs) return path;
  return `${path}${path.includes("?") ? "&" : "?"}${qs}`;
}

/** Pull a human message out of an error body: `message`, `error`, `detail`, else the text itself. */
export function serverMessageOf(body: unknown): string | undefined {
  if (typeof body === "string") return body.trim() ? body.trim().slice(0, 500) : undefined;
  if (!body || typeof body !== "object") return undefined;
  const b = body as Record<string, unknown>;
  for (const key of ["message", "error", "detail"]) {
    const v = b[key];
    if (typeof v === "string" && v) return v;
    if (v && typeof v === "object" && typeof (v as Record<string, unknown>).message === "string") {
      return (v as Record<string, string>).message;
    }
  }
  return JSON.stringify(body).slice(0, 500);
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** fetch wraps the useful part ("ECONNREFUSED", "ENOTFOUND", a TLS complaint) in `cause`. */
function networkReason(err: unknown): string | undefined {
  const inner = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  if (!(inner instanceof Error)) return undefined;
  const code = (inner as NodeJS.ErrnoException).code;
  return redact(code && !inner.message.includes(code) ? `${code}: ${inner.message}` : inner.message).slice(0, 200);
}

type Attempt = { kind: "ok"; response: ApiResponse } | { kind: "fail"; error: BentoApiError; retryAfterMs?: number };

/**
 * Create the HTTP layer every resource uses: bearer auth, JSON in and out, a timeout on every
 * attempt (including reading the body), and retries with backoff for idempotent requests on
 * 429, 5xx, timeouts and network errors.
 */
export function createTransport(options: TransportOptions): Transport {
  const sleep = options.sleep ?? realSleep;
  // A server that echoes the Authorization header must not put the key into errors or results.
  const scrub = (body: unknown): unknown => {
    if (body === undefined) return body;
    const text = typeof body === "string" ? body : JSON.stringify(body);
    if (!text.includes(options.apiKey)) return body;
    const clean = text.split(options.apiKey).join("…");
    return typeof body === "string" ? clean : (JSON.parse(clean) as unknown);
  };

  async function attempt(request: ApiRequest, path: string, attempts: number): Promise<Attempt> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${options.apiKey}`,
      accept: "application/json",
      "user-agent": options.userAgent,
    };
    if (request.body !== undefined) headers["content-type"] = "application/json";
    const base = { method: request.method, path, attempts };
    try {
      const res = await options.fetch(`${options.baseUrl}${path}`, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const body = scrub(await readBody(res));
      if (res.ok && typeof body === "string" && request.expect !== "any") {
        return { kind: "fail", error: new BentoApiError({ ...base, code: "invalid_response", status: res.status, body }) };
      }
      if (res.ok) return { kind: "ok", response: { status: res.status, body } };
      const error = new BentoApiError({
        ...base,
        code: "http_error",
        status: res.status,
        serverMessage: redact(serverMessageOf(body) ?? "") || undefined,
        body,
      });
      return { kind: "fail", error, retryAfterMs: parseRetryAfter(res.headers.get("retry-after")) };
    } catch (cause) {
      const timedOut = cause instanceof Error && (cause.name === "TimeoutError" || cause.name === "AbortError");
      if (timedOut) return { kind: "fail", error: new BentoApiError({ ...base, code: "timeout", cause }) };
      return { kind: "fail", error: new BentoApiError({ ...base, code: "network_error", reason: networkReason(cause), cause }) };
    }
  }

  return async function send<T>(request: ApiRequest): Promise<ApiResponse<T>> {
    const path = buildPath(request.path, request.query);
    const maxAttempts = 1 + (isIdempotent(request.method) ? Math.max(0, options.retries) : 0);
    for (let n = 1; ; n++) {
      const result = await attempt(request, path, n);
      if (result.kind === "ok") return result.response as ApiResponse<T>;
      const { error } = result;
      const retryable = error.code === "http_error" ? isRetryableStatus(error.status ?? 0) : error.code !== "invalid_response";
      if (!retryable || n >= maxAttempts) throw error;
      await sleep(retryDelay(n - 1, result.retryAfterMs, options, options.random));
    }
  };
}
