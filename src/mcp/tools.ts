import type { DevApi } from "./api-client.js";
import { clip, type OutlineSpan, outlineLines, type RunLine, runLine } from "./outline.js";

/** Bad tool arguments: reported to the agent as a tool error saying what to send instead. */
export class ToolInputError extends Error {
  override readonly name = "ToolInputError";
}

type Args = Record<string, unknown>;
export interface Tool {
  name: string;
  description: string;
  inputSchema: { type: "object"; properties: Record<string, unknown>; required?: string[] };
  run(api: DevApi, args: Args): Promise<string>;
}

function str(args: Args, key: string, required = false): string | undefined {
  const v = args[key];
  if (v === undefined || v === null || v === "") {
    if (required) throw new ToolInputError(`${key} is required.`);
    return undefined;
  }
  if (typeof v !== "string") throw new ToolInputError(`${key} must be a string, got ${JSON.stringify(v)}.`);
  return v;
}

function int(args: Args, key: string, dflt: number, min: number, max: number): number {
  const v = args[key] ?? dflt;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw new ToolInputError(`${key} must be an integer from ${min} to ${max}, got ${JSON.stringify(args[key])}.`);
  }
  return v;
}

const TEXT = { type: "string" } as const;
const RUN_FILTERS = {
  q: { type: "string", description: "case-insensitive substring of any span's name, input or output" },
  status: { type: "string", enum: ["ok", "error"] },
  model: { type: "string", description: "any span's gen_ai.request.model" },
  user_id: TEXT,
  session_id: TEXT,
  start_time: { type: "string", description: "runs starting at or after this ISO 8601 time (or unix ms)" },
  end_time: { type: "string", description: "runs starting before this ISO 8601 time (or unix ms)" },
  limit: { type: "integer", minimum: 1, maximum: 100, default: 20 },
  cursor: { type: "string", description: "next_cursor of the previous page" },
  max_chars: { type: "integer", minimum: 20, maximum: 2000, default: 120, description: "input preview length" },
};

async function listRuns(api: DevApi, args: Args): Promise<string> {
  const page = await api.get<{ items: RunLine[]; next_cursor: string | null }>(`${api.workspacePath}/traces`, {
    q: str(args, "q"),
    status: str(args, "status"),
    model: str(args, "model"),
    user_id: str(args, "user_id"),
    session_id: str(args, "session_id"),
    start_time: str(args, "start_time"),
    end_time: str(args, "end_time"),
    limit: int(args, "limit", 20, 1, 100),
    cursor: str(args, "cursor"),
  });
  const maxChars = int(args, "max_chars", 120, 20, 2000);
  if (page.items.length === 0) return "No runs match.";
  const lines = page.items.map((r) => runLine(r, maxChars));
  return (
    `${page.items.length} run(s), newest first (trace_id | start | name | status | duration | spans | models | tokens | who):\n${lines.join("\n")}` +
    (page.next_cursor ? `\nMore: call again with cursor="${page.next_cursor}".` : "")
  );
}

/** The tools `bentolabs mcp` offers. Output is compact text: agents pay for every token. */
export const TOOLS: Tool[] = [
  {
    name: "list_runs",
    description: "List agent runs (traces) stored by the local Bento dev server, newest first, with the read API's filters.",
    inputSchema: { type: "object", properties: RUN_FILTERS },
    run: listRuns,
  },
  {
    name: "search_runs",
    description: "Find runs whose span names, inputs or outputs contain a text (case-insensitive); same filters as list_runs.",
    inputSchema: { type: "object", properties: RUN_FILTERS, required: ["q"] },
    run: (api, args) => (str(args, "q", true), listRuns(api, args)),
  },
  {
    name: "get_trajectory",
    description:
      "Outline of one run: its spans as an indented tree with kind, duration, model, tokens, errors and truncated input/output. Large runs come in pages (offset/limit); use get_span for a span's full payload.",
    inputSchema: {
      type: "object",
      properties: {
        trace_id: TEXT,
        offset: { type: "integer", minimum: 0, default: 0, description: "first outline line (span) to show" },
        limit: { type: "integer", minimum: 1, maximum: 1000, default: 200, description: "spans per page" },
        max_chars: { type: "integer", minimum: 20, maximum: 5000, default: 160, description: "input/output length per span" },
      },
      required: ["trace_id"],
    },
    async run(api, args) {
      const id = str(args, "trace_id", true)!;
      const offset = int(args, "offset", 0, 0, Number.MAX_SAFE_INTEGER);
      const limit = int(args, "limit", 200, 1, 1000);
      const maxChars = int(args, "max_chars", 160, 20, 5000);
      const trace = await api.get<RunLine & { input: string | null; output: string | null }>(`/traces/${encodeURIComponent(id)}`);
      const spans = await api.get<{ items: OutlineSpan[] }>(`/traces/${encodeURIComponent(id)}/spans`);
      const lines = outlineLines(spans.items, maxChars);
      const shown = lines.slice(offset, offset + limit);
      const head = [
        runLine(trace, maxChars),
        trace.output !== null ? `    out: ${clip(trace.output, maxChars)}` : null,
        `spans ${offset + 1}-${offset + shown.length} of ${lines.length}:`,
      ].filter(Boolean);
      const more = offset + shown.length < lines.length ? `\nMore: call again with offset=${offset + shown.length}.` : "";
      return `${head.join("\n")}\n${shown.join("\n")}${more}`;
    },
  },
  {
    name: "get_span",
    description: "One span's full payload as JSON: input, output, attributes, events, tokens, status, times.",
    inputSchema: { type: "object", properties: { span_id: TEXT }, required: ["span_id"] },
    run: async (api, args) => JSON.stringify(await api.get(`/spans/${encodeURIComponent(str(args, "span_id", true)!)}`), null, 2),
  },
  {
    name: "list_sessions",
    description: "Conversations (runs grouped by gen_ai.conversation.id), most recently active first.",
    inputSchema: { type: "object", properties: { limit: RUN_FILTERS.limit, cursor: RUN_FILTERS.cursor } },
    run: (api, args) => listGroups(api, "sessions", args),
  },
  {
    name: "list_users",
    description: "Users (runs grouped by gen_ai.user.id), most recently active first.",
    inputSchema: { type: "object", properties: { limit: RUN_FILTERS.limit, cursor: RUN_FILTERS.cursor } },
    run: (api, args) => listGroups(api, "users", args),
  },
];

async function listGroups(api: DevApi, kind: "sessions" | "users", args: Args): Promise<string> {
  const page = await api.get<{ items: Array<Record<string, any>>; next_cursor: string | null }>(`${api.workspacePath}/${kind}`, {
    limit: int(args, "limit", 20, 1, 100),
    cursor: str(args, "cursor"),
  });
  if (page.items.length === 0) return `No ${kind}.`;
  const lines = page.items.map((g) =>
    [
      g.id,
      kind === "sessions" ? `${g.turns} turns` : `${g.run_count} runs`,
      `last ${g.last_start_time}`,
      g.error_runs ? `${g.error_runs} with errors` : null,
      g.total_tokens !== null && g.total_tokens !== undefined ? `${g.total_tokens} tokens` : null,
      kind === "sessions" && g.user_ids?.length ? `users ${g.user_ids.join(", ")}` : null,
      kind === "users" && g.session_ids?.length ? `${g.session_ids.length} sessions` : null,
    ]
      .filter(Boolean)
      .join(" | "),
  );
  return `${lines.join("\n")}${page.next_cursor ? `\nMore: call again with cursor="${page.next_cursor}".` : ""}\nFilter runs by ${kind === "sessions" ? "session_id" : "user_id"} with list_runs.`;
}
