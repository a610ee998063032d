/** Why a request to Langfuse failed; drives retries, health verdicts and the doctor's advice. */
export type LangfuseErrorCode =
  | "invalid_base_url"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "v2_unavailable"
  | "v1_unavailable"
  | "rate_limited"
  | "server_error"
  | "bad_request"
  | "timeout"
  | "network_error"
  | "redirect"
  | "response_too_large"
  | "invalid_response"
  | "aborted";

export interface LangfuseErrorInit {
  code: LangfuseErrorCode;
  message: string;
  status?: number;
  path?: string;
  /** Milliseconds Langfuse asked us to wait (429 `Retry-After`). */
  retryAfterMs?: number;
  attempts?: number;
  cause?: unknown;
}

/**
 * A failed Langfuse request. The message names the request path (never the query's secrets,
 * never the Authorization header) and Langfuse's own message when it sent one.
 */
export class LangfuseError extends Error {
  override readonly name = "LangfuseError";
  readonly code: LangfuseErrorCode;
  readonly status: number | undefined;
  readonly path: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly attempts: number;

  constructor(init: LangfuseErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.path = init.path;
    this.retryAfterMs = init.retryAfterMs;
    this.attempts = init.attempts ?? 1;
  }
}

/** Statuses worth another attempt: timeouts, rate limits, server and edge errors (524). */
export function isRetryable(err: LangfuseError): boolean {
  return err.code === "rate_limited" || err.code === "server_error" || err.code === "timeout" || err.code === "network_error";
}
