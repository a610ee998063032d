import { jitteredBackoff } from "../../retry.js";
import { baseUrlString, parseBaseUrl } from "./base-url.js";
import { isRetryable, LangfuseError, type LangfuseErrorCode } from "./errors.js";
import { type RawResponse, sendGet } from "./http.js";
import { retryAfterMs } from "./retry-after.js";

export interface LangfuseKeys {
  public_key: string;
  secret_key: string;
  base_url: string;
}

export interface LangfuseClientOptions {
  /** Per-request deadline. Default 30 s (Langfuse's own SDK uses 60 s). */
  timeoutMs?: number;
  /** Largest accepted response body. Default 32 MiB. */
  maxResponseBytes?: number;
  /** Extra attempts after the first for 429/5xx/524/timeouts. Default 3. */
  retries?: number;
  /** First backoff delay for 5xx; doubles per attempt, ±20 % jitter. Default 1 s. */
  backoffMs?: number;
  /** Longest wait we accept from `Retry-After` (or backoff). Default 60 s. */
  maxDelayMs?: number;
  /** Injectable for tests: how waiting is done. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  random?: () => number;
  signal?: AbortSignal;
}

export type Query = Record<string, string | number | undefined>;

/** A Basic-auth Langfuse public API client with the outbound guards and retry policy applied. */
export interface LangfuseClient {
  /** Origin (+ path prefix) without trailing slash, never containing credentials. */
  readonly baseUrl: string;
  /** Authenticated GET of a JSON document under `/api/public`. */
  get<T>(path: string, query?: Query): Promise<T>;
  /** Unauthenticated `GET /api/public/health`, never retried. */
  health(): Promise<{ status: number; body: unknown }>;
}

export const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(done, ms);
    t.unref?.();
    function done() {
      signal?.removeEventListener("abort", done);
      clearTimeout(t);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });

export function createLangfuseClient(keys: LangfuseKeys, options: LangfuseClientOptions = {}): LangfuseClient {
  const base = parseBaseUrl(keys.base_url);
  const baseUrl = baseUrlString(base);
  const auth = `Basic ${Buffer.from(`${keys.public_key}:${keys.secret_key}`, "utf8").toString("base64")}`;
  const o = {
    timeoutMs: options.timeoutMs ?? 30_000,
    maxBytes: options.maxResponseBytes ?? 32 * 1024 * 1024,
    retries: options.retries ?? 3,
    backoffMs: options.backoffMs ?? 1000,
    maxDelayMs: options.maxDelayMs ?? 60_000,
    sleep: options.sleep ?? defaultSleep,
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
  };
  // Upstream bodies are echoed into error messages: make sure neither key material can ride along.
  const scrub = (text: string) => [keys.secret_key, auth.slice(6)].reduce((t, s) => (s.length >= 4 ? t.split(s).join("***") : t), text);

  function urlFor(path: string, query?: Query): URL {
    const url = new URL(base.href);
    url.pathname = `${base.pathname.replace(/\/+$/, "")}${path}`;
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  async function once(path: string, query: Query | undefined, authed: boolean): Promise<RawResponse> {
    const res = await sendGet({
      url: urlFor(path, query),
      headers: authed ? { authorization: auth } : {},
      timeoutMs: o.timeoutMs,
      maxBytes: o.maxBytes,
      signal: options.signal,
    });
    if (res.status >= 300 && res.status < 400) {
      const location = String(res.headers.location ?? "");
      let target = "another location";
      try {
        target = new URL(location, base).origin;
      } catch {
        // unparseable Location: say nothing more
      }
      throw new LangfuseError({
        code: "redirect",
        status: res.status,
        path,
        message: `GET ${path} was redirected (HTTP ${res.status}) to ${target}; redirects are not followed so the keys never leave ${base.origin}. Set base_url to the final URL.`,
      });
    }
    return res;
  }

  async function get<T>(path: string, query?: Query): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let err: LangfuseError;
      try {
        const res = await once(path, query, true);
        if (res.status >= 200 && res.status < 300) return parseJson<T>(res, path);
        err = toError(res, path, scrub, o.now());
      } catch (e) {
        if (!(e instanceof LangfuseError)) throw e;
        err = e;
      }
      const delay = err.code === "rate_limited" ? (err.retryAfterMs ?? backoff(attempt)) : backoff(attempt);
      if (!isRetryable(err) || attempt > o.retries || delay > o.maxDelayMs || options.signal?.aborted) {
        throw new LangfuseError({
          code: err.code,
          status: err.status,
          path,
          retryAfterMs: err.retryAfterMs,
          attempts: attempt,
          message: attempt > 1 ? `${err.message} (after ${attempt} attempts)` : err.message,
          cause: err.cause,
        });
      }
      await o.sleep(delay, options.signal);
    }
  }

  function backoff(attempt: number): number {
    return jitteredBackoff(attempt - 1, { initialMs: o.backoffMs, maxMs: o.maxDelayMs }, o.random);
  }

  async function health() {
    const res = await once("/api/public/health", undefined, false);
    let body: unknown = res.text;
    try {
      body = JSON.parse(res.text);
    } catch {
      // HTML or text: not Langfuse
    }
    return { status: res.status, body };
  }

  return { baseUrl, get, health };
}

function parseJson<T>(res: RawResponse, path: string): T {
  try {
    return JSON.parse(res.text) as T;
  } catch {
    throw new LangfuseError({
      code: "invalid_response",
      status: res.status,
      path,
      message: `GET ${path} answered HTTP ${res.status} with a body that is not JSON; is base_url a Langfuse server?`,
    });
  }
}

/** Langfuse's message from a JSON error body, or the start of a text body. */
export function upstreamMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body?.message === "string") return body.message;
  } catch {
    // not JSON
  }
  const flat = text
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return flat.length > 160 ? `${flat.slice(0, 160)}…` : flat;
}

function toError(res: RawResponse, path: string, scrub: (s: string) => string, now: number): LangfuseError {
  const msg = scrub(upstreamMessage(res.text));
  const said = msg ? `: ${msg}` : "";
  const s = res.status;
  let code: LangfuseErrorCode = "bad_request";
  if (s === 401) code = "unauthorized";
  else if (s === 403) code = "forbidden";
  else if (s === 404)
    code = /observations v2 API is only available/i.test(msg)
      ? "v2_unavailable"
      : /events_only mode/i.test(msg)
        ? "v1_unavailable"
        : "not_found";
  else if (s === 429) code = "rate_limited";
  else if (s >= 500 || s === 408) code = "server_error";
  const retry = s === 429 ? retryAfterMs(res.headers["retry-after"], res.text, now) : undefined;
  return new LangfuseError({ code, status: s, path, retryAfterMs: retry, message: `GET ${path} failed with HTTP ${s}${said}` });
}
