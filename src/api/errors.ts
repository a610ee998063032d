import { BentoCodedError } from "../errors.js";

/** Machine-readable reasons for {@link BentoApiError}. */
export type BentoApiErrorCode =
  /** The server answered with a non-2xx status. */
  | "http_error"
  /** No complete answer within `timeoutMs`. */
  | "timeout"
  /** The connection failed (DNS, refused, reset). */
  | "network_error"
  /** A 2xx answer that is not JSON (e.g. an HTML page from a wrong base URL). */
  | "invalid_response";

export interface BentoApiErrorInit {
  code: BentoApiErrorCode;
  method: string;
  path: string;
  status?: number;
  serverMessage?: string;
  /** Why the connection failed, for network errors (e.g. "connect ECONNREFUSED 127.0.0.1:9"). */
  reason?: string;
  body?: unknown;
  attempts: number;
  cause?: unknown;
}

/**
 * A management API request that failed. Carries the HTTP status, the server's own message and
 * the request's method and path; never the API key or request headers.
 *
 * @example
 * try { await client.credentials.get("cred_1") }
 * catch (e) { if (e instanceof BentoApiError && e.status === 404) console.log("no such credential") }
 */
export class BentoApiError extends BentoCodedError<BentoApiErrorCode> {
  override readonly name = "BentoApiError";
  /** HTTP status, when the server answered. */
  readonly status: number | undefined;
  /** The server's error message (`message`, `error` or `detail` of the JSON body, else its text). */
  readonly serverMessage: string | undefined;
  /** The parsed error body, for callers that need more than the message. */
  readonly body: unknown;
  readonly method: string;
  /** Request path including the query string, e.g. `/workspaces/ws_1/sync-reports?limit=5`. */
  readonly path: string;
  /** How many times the request was sent (1 + retries used). */
  readonly attempts: number;

  constructor(init: BentoApiErrorInit) {
    super(init.code, describe(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.serverMessage = init.serverMessage;
    this.body = init.body;
    this.method = init.method;
    this.path = init.path;
    this.attempts = init.attempts;
  }
}

function describe(init: BentoApiErrorInit): string {
  const where = `${init.method} ${init.path}`;
  const tries = init.attempts > 1 ? ` after ${init.attempts} attempts` : "";
  if (init.code === "timeout") return `${where} timed out${tries}`;
  if (init.code === "network_error")
    return `${where} failed: could not reach the Bento API${tries}${init.reason ? ` (${init.reason})` : ""}`;
  if (init.code === "invalid_response") return `${where} answered HTTP ${init.status ?? "?"} without JSON: is the API base URL right?`;
  const msg = init.serverMessage ? `: ${init.serverMessage}` : "";
  return `${where} failed with HTTP ${init.status ?? "?"}${msg}`;
}

/** Machine-readable reasons for {@link BentoValidationError}. */
export type BentoValidationErrorCode = "invalid_json" | "invalid_value" | "missing_field" | "unknown_field" | "missing_workspace";

/**
 * A request body or argument that would be rejected, detected before anything is sent.
 * `field` names the offending field (dotted, e.g. `config.base_url`); `allowed` describes valid values.
 *
 * @example
 * try { validateSyncSettingsUpdate({ frequency_minutes: 5 }) }
 * catch (e) { if (e instanceof BentoValidationError) console.log(e.field, e.allowed) }
 */
export class BentoValidationError extends BentoCodedError<BentoValidationErrorCode> {
  override readonly name = "BentoValidationError";
  readonly field: string;
  readonly allowed: string | undefined;

  constructor(code: BentoValidationErrorCode, field: string, message: string, allowed?: string) {
    super(code, message);
    this.field = field;
    this.allowed = allowed;
  }
}
