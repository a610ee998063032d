import { DEFAULT_BASE_URL, ENV, normalizeBaseUrl } from "../config.js";
import { BentoAuthError } from "../errors.js";
import { maskSecret, registerSecret } from "../log.js";
import { type CredentialsApi, createCredentialsApi } from "./credentials.js";
import { BentoValidationError } from "./errors.js";
import { type ApiRequest, type ApiResponse, createTransport } from "./http.js";
import { type AuthApi, createAuthApi, createTracesApi, createWorkspacesApi, type TracesApi, type WorkspacesApi } from "./platform.js";
import { DEFAULT_BACKOFF } from "./retry.js";
import { createSyncApi, type SyncApi } from "./sync.js";
import type { WorkspaceOptions } from "./types.js";

export interface ClientOptions {
  /** Management API origin. Default: `BENTOLABS_BASE_URL`, else `https://api.bentolabs.ai`. */
  baseUrl?: string;
  /** Bearer token. Default: `BENTOLABS_API_KEY`. */
  apiKey?: string;
  /** Default workspace of workspace-scoped calls; each call may override it. */
  workspace?: string;
  /** Per-attempt timeout, covering connect, headers and body. Default 30 000 ms. */
  timeoutMs?: number;
  /** Extra attempts for GETs on 429, 5xx, timeouts and network errors. Default 2. */
  retries?: number;
  /** Cap of any single wait between attempts, including `Retry-After`. Default 10 000 ms. */
  maxRetryDelayMs?: number;
  /** A fetch implementation (e.g. one with a proxy agent). Default: the global fetch. */
  fetch?: typeof globalThis.fetch;
  /** Sent as `User-Agent`. */
  userAgent?: string;
  /** Where to read `BENTOLABS_*` variables. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** The typed management client returned by {@link createClient}. */
export interface BentoClient {
  /** The resolved origin every request goes to. */
  readonly baseUrl: string;
  readonly workspace: string | undefined;
  readonly credentials: CredentialsApi;
  readonly sync: SyncApi;
  readonly workspaces: WorkspacesApi;
  readonly auth: AuthApi;
  readonly traces: TracesApi;
  /** Send any request with the client's auth, timeout and retry policy (the CLI's `raw`). */
  request<T = unknown>(request: ApiRequest): Promise<ApiResponse<T>>;
}

function nonEmpty(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}

/**
 * Create a client for Bento's management API: credentials (external trace sources), the
 * scheduled sync, workspaces, identity, and reading traces and spans. Failed requests throw `BentoApiError`; bodies that the server would reject
 * throw `BentoValidationError` before anything is sent.
 *
 * @example
 * import { createClient } from "@bentolabs/sdk/api";
 * const bento = createClient({ workspace: "ws_123" }); // key from BENTOLABS_API_KEY
 * const { items } = await bento.credentials.list();
 */
export function createClient(options: ClientOptions = {}): BentoClient {
  const env = options.env ?? process.env;
  const apiKey = nonEmpty(options.apiKey) ?? nonEmpty(env[ENV.apiKey]);
  if (!apiKey) {
    throw new BentoAuthError("missing_api_key", `No Bento API key: pass createClient({ apiKey }) or set ${ENV.apiKey}.`);
  }
  registerSecret(apiKey);
  const baseUrl = normalizeBaseUrl(nonEmpty(options.baseUrl) ?? nonEmpty(env[ENV.baseUrl]) ?? DEFAULT_BASE_URL);
  const workspace = nonEmpty(options.workspace);
  const send = createTransport({
    baseUrl,
    apiKey,
    timeoutMs: options.timeoutMs ?? 30_000,
    retries: options.retries ?? 2,
    baseDelayMs: DEFAULT_BACKOFF.baseDelayMs,
    maxDelayMs: options.maxRetryDelayMs ?? DEFAULT_BACKOFF.maxDelayMs,
    fetch: options.fetch ?? globalThis.fetch,
    userAgent: options.userAgent ?? "bentolabs-sdk-js",
  });
  const workspacePath = (o?: WorkspaceOptions): string => {
    const ws = nonEmpty(o?.workspace) ?? workspace;
    if (!ws) {
      throw new BentoValidationError(
        "missing_workspace",
        "workspace",
        "No workspace selected: pass createClient({ workspace }) or { workspace } on the call.",
        "a workspace id",
      );
    }
    return `/workspaces/${encodeURIComponent(ws)}`;
  };
  const workspaces = createWorkspacesApi(send);
  return Object.freeze({
    baseUrl,
    workspace,
    credentials: createCredentialsApi(send, workspacePath),
    sync: createSyncApi(send, workspacePath),
    workspaces,
    auth: createAuthApi(send, workspaces, maskSecret(apiKey)),
    traces: createTracesApi(send, workspacePath),
    request: send,
  });
}
