/**
 * Wire types of the workspace, identity and trace routes (SPEC §8, second table). Field names are
 * the server's (snake_case). Traces and spans carry more fields than listed here; the index
 * signature keeps them reachable without a cast.
 */

/** One workspace the key can use (`GET /workspaces`). */
export interface Workspace {
  id: string;
  name?: string | null;
  [field: string]: unknown;
}

/** Who the credentials belong to (`GET /auth/whoami`). */
export interface Whoami {
  /** The authenticated principal: for an API key, its kind and a masked form of the key. */
  principal: { type: string; id?: string | null; name?: string | null; key?: string | null; [field: string]: unknown };
  /** The workspaces this principal can use. */
  workspaces: Workspace[];
  [field: string]: unknown;
}

/** A page of a keyset-paginated list: pass `next_cursor` back as `cursor` for the next page. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** One run (trace) as a list item: the columns of the viewer's Runs table and more. */
export interface TraceSummary {
  trace_id: string;
  name: string | null;
  root_span_id?: string | null;
  start_time: string;
  end_time?: string;
  duration_ms: number;
  span_count: number;
  models: string[];
  input_tokens?: number | null;
  output_tokens?: number | null;
  total_tokens: number | null;
  status: string;
  user_id: string | null;
  session_id: string | null;
  source?: string;
  input_preview?: string | null;
  output_preview?: string | null;
  [field: string]: unknown;
}

/** `GET /traces/{trace_id}`: the summary plus the root span's full input and output. */
export interface TraceDetail extends TraceSummary {
  input: string | null;
  output: string | null;
}

/** One span (`GET /spans/{span_id}`, items of `GET /traces/{trace_id}/spans`). */
export interface Span {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  name: string;
  kind: string;
  status: string;
  start_time: string;
  end_time: string;
  duration_ms: number;
  model?: string | null;
  provider?: string | null;
  input?: string | null;
  output?: string | null;
  attributes?: Record<string, unknown>;
  [field: string]: unknown;
}
