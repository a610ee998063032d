import { BentoApiError } from "./errors.js";
import type { Transport } from "./http.js";
import type { Page, Span, TraceDetail, TraceSummary, Whoami, Workspace } from "./platform-types.js";
import type { ListResponse, WorkspaceOptions } from "./types.js";
import { validateId, validateLimit, validateTimeFilter } from "./validate.js";

/**
 * Workspaces the key can use (SPEC §8).
 *
 * @example
 * const ids = (await client.workspaces.list()).items.map((w) => w.id);
 */
export interface WorkspacesApi {
  /** `GET /workspaces` */
  list(): Promise<ListResponse<Workspace>>;
}

/**
 * Who the credentials belong to.
 *
 * @example
 * const { principal, workspaces } = await client.auth.whoami();
 */
export interface AuthApi {
  /**
   * `GET /auth/whoami`. A server without that route (404) is answered from `GET /workspaces`,
   * with the principal described as the API key itself.
   */
  whoami(): Promise<Whoami>;
}

/** Filters of `GET /workspaces/{ws}/traces`; each is sent under its snake_case query name. */
export interface TraceListOptions extends WorkspaceOptions {
  /** Page size (a positive integer; the server caps it). */
  limit?: number;
  /** `next_cursor` of the previous page, unchanged. */
  cursor?: string;
  /** Case-insensitive text search over span names, inputs and outputs. */
  q?: string;
  /** `ok` or `error` on Bento's API and the dev server; passed through as given. */
  status?: string;
  model?: string;
  /** ISO-8601 or unix milliseconds; sent as `start_time`. */
  startTime?: string;
  /** ISO-8601 or unix milliseconds; sent as `end_time`. */
  endTime?: string;
}

export interface SpanListOptions {
  limit?: number;
  cursor?: string;
}

/**
 * Runs (traces) and their spans (SPEC §8).
 *
 * @example
 * const page = await client.traces.list({ status: "error", limit: 20 });
 * const more = page.next_cursor ? await client.traces.list({ status: "error", limit: 20, cursor: page.next_cursor }) : undefined;
 */
export interface TracesApi {
  /** `GET /workspaces/{ws}/traces?limit=&cursor=&q=&status=&model=&start_time=&end_time=` */
  list(options?: TraceListOptions): Promise<Page<TraceSummary>>;
  /** `GET /traces/{trace_id}` */
  get(traceId: string): Promise<TraceDetail>;
  /** `GET /traces/{trace_id}/spans?limit=&cursor=` */
  listSpans(traceId: string, options?: SpanListOptions): Promise<Page<Span>>;
  /** `GET /spans/{span_id}` */
  getSpan(spanId: string): Promise<Span>;
}

const enc = (v: string) => encodeURIComponent(v);
const text = (v: string | undefined) => (v === undefined || v === "" ? undefined : v);
const limitOf = (v: number | undefined) => (v === undefined ? undefined : validateLimit(v));

export function createWorkspacesApi(send: Transport): WorkspacesApi {
  return { list: async () => (await send<ListResponse<Workspace>>({ method: "GET", path: "/workspaces" })).body };
}

export function createAuthApi(send: Transport, workspaces: WorkspacesApi, maskedKey: string): AuthApi {
  return {
    whoami: async () => {
      try {
        return (await send<Whoami>({ method: "GET", path: "/auth/whoami" })).body;
      } catch (err) {
        if (!(err instanceof BentoApiError) || err.status !== 404) throw err;
      }
      const { items } = await workspaces.list();
      return { principal: { type: "api_key", key: maskedKey }, workspaces: items };
    },
  };
}

export function createTracesApi(send: Transport, workspacePath: (o?: WorkspaceOptions) => string): TracesApi {
  return {
    list: async (o = {}) => {
      const query = {
        limit: limitOf(o.limit),
        cursor: text(o.cursor),
        q: text(o.q),
        status: text(o.status),
        model: text(o.model),
        start_time: o.startTime === undefined ? undefined : validateTimeFilter(o.startTime, "start-time"),
        end_time: o.endTime === undefined ? undefined : validateTimeFilter(o.endTime, "end-time"),
      };
      return (await send<Page<TraceSummary>>({ method: "GET", path: `${workspacePath(o)}/traces`, query })).body;
    },
    get: async (id) => (await send<TraceDetail>({ method: "GET", path: `/traces/${enc(validateId(id, "trace-id"))}` })).body,
    listSpans: async (id, o = {}) => {
      const path = `/traces/${enc(validateId(id, "trace-id"))}/spans`;
      return (await send<Page<Span>>({ method: "GET", path, query: { limit: limitOf(o.limit), cursor: text(o.cursor) } })).body;
    },
    getSpan: async (id) => (await send<Span>({ method: "GET", path: `/spans/${enc(validateId(id, "span-id"))}` })).body,
  };
}
