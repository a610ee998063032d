import { positiveInt, str } from "../flags.js";
import { renderRunsTable, renderSpansTable } from "../runs-table.js";
import type { FlagSpec, GroupSpec } from "../spec.js";

const LIMIT: FlagSpec = { type: "string", placeholder: "N", description: "Page size (the server caps it; the dev server at 500)" };
const CURSOR: FlagSpec = { type: "string", placeholder: "cursor", description: "next_cursor of the previous page, unchanged" };

const LIST_FLAGS: Record<string, FlagSpec> = {
  limit: LIMIT,
  cursor: CURSOR,
  q: { type: "string", placeholder: "text", description: "Case-insensitive search over span names, inputs and outputs" },
  status: { type: "string", placeholder: "ok|error", description: "Only runs with this status" },
  model: { type: "string", placeholder: "model", description: "Only runs where some span used this model" },
  "start-time": { type: "string", placeholder: "time", description: "Runs that started at or after this time (ISO-8601 or unix ms)" },
  "end-time": { type: "string", placeholder: "time", description: "Runs that started before this time (ISO-8601 or unix ms)" },
};

const items = (data: unknown) => (data as { items?: unknown }).items;
const cursorOf = (data: { next_cursor?: string | null }) => data.next_cursor ?? null;

/** `bentolabs traces …`: read runs (traces) and their spans. */
export const tracesGroup: GroupSpec = {
  name: "traces",
  summary: "Read your agent's runs (traces) and their spans",
  commands: [
    {
      group: "traces",
      name: "list",
      summary: "List runs, newest first; prints the command for the next page",
      positionals: [],
      flags: LIST_FLAGS,
      route: "GET /workspaces/{ws}/traces?limit=&cursor=&q=&status=&model=&start_time=&end_time=",
      workspaceScoped: true,
      run: async ({ settings, flags }) => {
        const limit = positiveInt("limit", flags.limit);
        const workspace = settings.requireWorkspace();
        const page = await settings.client().traces.list({
          workspace,
          limit,
          cursor: str(flags.cursor),
          q: str(flags.q),
          status: str(flags.status),
          model: str(flags.model),
          startTime: str(flags["start-time"]),
          endTime: str(flags["end-time"]),
        });
        return { data: page, table: (d) => renderRunsTable(items(d)), nextCursor: cursorOf(page) };
      },
    },
    {
      group: "traces",
      name: "get",
      summary: "One run: its summary plus the root span's full input and output",
      positionals: ["trace-id"],
      route: "GET /traces/{trace_id}",
      run: async ({ settings, args }) => ({ data: await settings.client().traces.get(args["trace-id"] ?? "") }),
    },
    {
      group: "traces",
      name: "list-spans",
      summary: "The spans of one run, in start order",
      positionals: ["trace-id"],
      flags: { limit: LIMIT, cursor: CURSOR },
      route: "GET /traces/{trace_id}/spans?limit=&cursor=",
      run: async ({ settings, args, flags }) => {
        const limit = positiveInt("limit", flags.limit);
        const page = await settings.client().traces.listSpans(args["trace-id"] ?? "", { limit, cursor: str(flags.cursor) });
        return { data: page, table: (d) => renderSpansTable(items(d)), nextCursor: cursorOf(page) };
      },
    },
    {
      group: "traces",
      name: "get-span",
      summary: "One span with its input, output and attributes",
      positionals: ["span-id"],
      route: "GET /spans/{span_id}",
      run: async ({ settings, args }) => ({ data: await settings.client().traces.getSpan(args["span-id"] ?? "") }),
    },
  ],
};
