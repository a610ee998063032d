import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the fake server saw it. */
export interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  rawQuery: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: unknown;
  /** What the fake answered, to compare with the CLI's rendering. */
  status: number;
  response: unknown;
}

export interface FakeApiOptions {
  token: string;
  /** Misbehave like a leaky server: return `secret_key` in credential responses. */
  echoSecrets?: boolean;
  /** Ids for created credentials, in order (default cred_2, cred_3, …). */
  ids?: string[];
  /** Serve `GET /auth/whoami` (default true); without it clients fall back to `GET /workspaces`. */
  whoami?: boolean;
}

export interface FakeApi {
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

type Json = Record<string, any>;

/**
 * An in-memory Bento management API implementing every route of SPEC §8, recording each request.
 * Seeded with workspace ws_1 holding credential cred_1 and three sync reports.
 */
export async function startFakeApi(options: FakeApiOptions): Promise<FakeApi> {
  const creds = new Map<string, Json>();
  creds.set("cred_1", {
    id: "cred_1",
    workspace_id: "ws_1",
    source_type: "langfuse",
    config: { public_key: "pk-lf-seed", secret_key: "sk-lf-seed-secret-0001", base_url: "https://cloud.langfuse.com" },
    last_health_status: "ok",
  });
  let nextId = 2;
  const settings: Json = { schedule_enabled: true, frequency_minutes: 60, next_run_at: "2026-11-21T08:00:00Z", max_traces_per_sync: 5000 };
  const reports = [1, 2, 3].map((n) => ({
    id: `rep_${n}`,
    credential_id: "cred_1",
    status: n === 2 ? "partial" : "ok",
    started_at: `2026-11-2${n}T07:00:00Z`,
    finished_at: `2026-11-2${n}T07:00:05Z`,
    duration_ms: 5000,
    created: 10 * n,
    updated: n,
    skipped: 0,
    failed: n === 2 ? 1 : 0,
    errors: n === 2 ? [{ message: "trace too large", trace_id: "t_9" }] : [],
  }));
  const requests: Recorded[] = [];

  const view = (c: Json) => {
    if (options.echoSecrets) return c;
    const { secret_key: _omit, ...config } = c.config as Json;
    return { ...c, config };
  };

  function route(method: string, path: string, query: URLSearchParams, body: any): [number, unknown] {
    let m: RegExpMatchArray | null;
    const workspaces = [
      { id: "ws_1", name: "Workspace one" },
      { id: "ws_123", name: "Docs workspace" },
    ];
    if (path === "/workspaces" && method === "GET") return [200, { items: workspaces, next_cursor: null }];
    if (path === "/auth/whoami" && method === "GET" && options.whoami !== false) {
      return [200, { principal: { type: "api_key", id: "key_1", name: "ci key" }, workspaces }];
    }
    if ((m = path.match(/^\/workspaces\/([^/]+)\/traces$/)) && method === "GET")
      return [200, { items: [{ trace_id: "t_1", name: "run" }], next_cursor: "c_2" }];
    if ((m = path.match(/^\/traces\/([^/]+)(\/spans)?$/)) && method === "GET") {
      return m[2]
        ? [200, { items: [{ span_id: "s_1" }], next_cursor: null }]
        : [200, { trace_id: decodeURIComponent(m[1]!), input: "q", output: "a" }];
    }
    if ((m = path.match(/^\/spans\/([^/]+)$/)) && method === "GET") return [200, { span_id: decodeURIComponent(m[1]!) }];
    if ((m = path.match(/^\/workspaces\/([^/]+)\/credentials$/))) {
      const ws = decodeURIComponent(m[1]!);
      if (method === "GET") return [200, { items: [...creds.values()].filter((c) => c.workspace_id === ws).map(view) }];
      if (method === "POST") {
        const c = {
          id: options.ids?.shift() ?? `cred_${nextId++}`,
          workspace_id: ws,
          source_type: body.source_type,
          config: body.config,
          last_health_status: "ok",
        };
        creds.set(c.id, c);
        return [201, view(c)];
      }
    }
    if ((m = path.match(/^\/credentials\/([^/]+)(\/health-check|\/sync\/status)?$/))) {
      const id = decodeURIComponent(m[1]!);
      const c = creds.get(id);
      if (!c) return [404, { message: `credential ${id} not found` }];
      if (m[2] === "/health-check" && method === "POST")
        return [200, { credential_id: id, status: "ok", reachable: true, checked_at: "2026-11-21T07:00:00Z" }];
      if (m[2] === "/sync/status" && method === "GET") {
        return [
          200,
          {
            credential_id: id,
            status: "ok",
            last_run_started_at: "2026-11-21T07:00:00Z",
            last_run_finished_at: "2026-11-21T07:00:05Z",
            next_run_at: settings.next_run_at,
            last_run_traces: 31,
          },
        ];
      }
      if (!m[2] && method === "GET") return [200, view(c)];
      if (!m[2] && method === "PUT") {
        c.config = body.config;
        return [200, view(c)];
      }
      if (!m[2] && method === "DELETE") {
        creds.delete(id);
        return [204, undefined];
      }
    }
    if ((m = path.match(/^\/workspaces\/([^/]+)\/sync-settings$/))) {
      if (method === "GET") return [200, settings];
      if (method === "PATCH") return [200, Object.assign(settings, body)];
    }
    if ((m = path.match(/^\/workspaces\/([^/]+)\/sync-reports$/)) && method === "GET") {
      const limit = query.has("limit") ? Number(query.get("limit")) : reports.length;
      return [200, { items: reports.slice(0, limit) }];
    }
    if ((m = path.match(/^\/workspaces\/([^/]+)\/sync-doctor$/)) && method === "GET") {
      return [
        200,
        {
          workspace_id: decodeURIComponent(m[1]!),
          from_date: query.get("from_date"),
          to_date: query.get("to_date"),
          healthy: true,
          credentials: [
            {
              credential_id: "cred_1",
              source_type: "langfuse",
              last_health_status: "ok",
              upstream_reachable: true,
              sync_status: "ok",
              runs: 3,
              failed_runs: 0,
              problems: [],
            },
          ],
        },
      ];
    }
    return [404, { message: `no route ${method} ${path}` }];
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://x");
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const authorized = req.headers.authorization === `Bearer ${options.token}`;
    const [status, response] = authorized
      ? route(req.method ?? "GET", url.pathname, url.searchParams, body)
      : [401, { message: "invalid API key" }];
    requests.push({
      method: req.method ?? "",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      rawQuery: url.search,
      authorization: req.headers.authorization,
      contentType: req.headers["content-type"],
      body,
      status,
      response,
    });
    if (response === undefined) return void res.writeHead(status).end();
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(response));
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
