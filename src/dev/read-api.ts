import type { ServerResponse } from "node:http";
import { toConversation } from "./conversation.js";
import { costOf } from "./cost.js";
import { toJsonLines, toMarkdownOutline, toOtlpRequest } from "./export.js";
import { HttpError, sendJson } from "./http.js";
import { pageSpans } from "./platform-routes.js";
import { BUNDLED_PRICES, type PriceTable } from "./prices/index.js";
import { parseLimit, parseTraceFilters } from "./query-params.js";
import { createCosting } from "./read-costs.js";
import type { RouteContext, Router } from "./router.js";
import type { Store } from "./store/index.js";
import type { SpanSummary } from "./store/read-nodes.js";
import type { Span } from "./store/rows.js";
import { buildSpanTree, type SpanNode } from "./tree.js";

function notFound(what: string, id: string): HttpError {
  return new HttpError(404, "not_found", `No ${what} with id ${JSON.stringify(id)}.`);
}

function found<T>(value: T | undefined, what: string, id: string): T {
  if (value === undefined) throw notFound(what, id);
  return value;
}

/** `/traces/{id}/nodes` pages: up to 2,000 spans, 500 unless `limit` says otherwise. */
const NODES_MAX = 2000;
const NODES_DEFAULT = 500;

const EXPORT_FORMATS = ["otlp", "jsonl", "markdown"] as const;

/**
 * The read API, routed as the platform's CLI uses it. Workspace routes check the workspace id;
 * id routes (`/traces/…`, `/spans/…`) are not workspace-scoped. Auth is checked by the caller.
 * Runs, sessions, users and spans carry cost at `prices` (`cost_usd`, null for unknown models).
 */
export function registerReadApi(router: Router, store: Store, workspaceId: string, prices: PriceTable = BUNDLED_PRICES): void {
  const costs = createCosting(store, prices);
  // a span as the viewer reads it: cost, and its chat messages when it carries any
  const viewSpan = (s: Span) => ({ ...costs.span(s), messages: toConversation(s) });
  const viewTree = (nodes: SpanNode[]): unknown[] => nodes.map((n) => ({ ...viewSpan(n), children: viewTree(n.children) }));
  // a span in a paged tree (a fresh object, so priced in place): from its tokens and cache reads
  // (cost_usd only: the breakdown, repeated 2,000 times, would be a third of a page; /spans/{id} has it)
  const viewNode = <T extends SpanSummary>(s: T) => Object.assign(s, { cost_usd: costOf(prices, s)?.usd ?? null });
  const costedTrace = async <T extends { trace_id: string }>(t: T) => (await costs.traces([t]))[0]!;
  const groupPage = async <G extends { id: string }>(by: "session_id" | "user_id", p: { items: G[]; next_cursor: string | null }) => ({
    ...p,
    items: await costs.groups(by, p.items),
  });
  const group = async <G extends { id: string; runs: Array<{ trace_id: string }> }>(by: "session_id" | "user_id", g: G) => ({
    ...(await costs.groups(by, [g]))[0]!,
    runs: await costs.traces(g.runs),
  });
  const ws = (ctx: RouteContext) => {
    const id = ctx.params.ws!;
    if (id !== workspaceId) throw notFound("workspace", id);
  };
  const json = (fn: (ctx: RouteContext) => Promise<unknown>) => async (ctx: RouteContext) => {
    sendJson(ctx.res, 200, await fn(ctx));
  };

  router
    .on(
      "GET",
      "/workspaces/:ws/traces",
      json(async (ctx) => {
        ws(ctx);
        const p = await store.listTraces(parseTraceFilters(ctx.query));
        return { ...p, items: await costs.traces(p.items) };
      }),
    )
    .on(
      "GET",
      "/traces/:traceId",
      json(async ({ params }) => costedTrace(found(await store.getTrace(params.traceId!), "trace", params.traceId!))),
    )
    .on(
      "GET",
      "/traces/:traceId/spans",
      json(async ({ params, query }) => {
        const spans = await store.listSpans(params.traceId!);
        if (spans.length === 0) throw notFound("trace", params.traceId!);
        return pageSpans(spans.map(costs.span), query);
      }),
    )
    .on(
      "GET",
      "/traces/:traceId/tree",
      json(async ({ params }) => {
        const trace = await costedTrace(found(await store.getTrace(params.traceId!), "trace", params.traceId!));
        return { trace, prices_version: prices.version, roots: viewTree(buildSpanTree(await store.listSpans(params.traceId!))) };
      }),
    )
    .on(
      "GET",
      "/traces/:traceId/nodes",
      json(async ({ params, query }) => {
        const limit = parseLimit(query, NODES_MAX, NODES_DEFAULT);
        // the page is read while the summary is: an unknown run is a 404 before any cursor error
        const paging = store.nodePage(params.traceId!, limit, query.get("cursor") || undefined);
        paging.catch(() => undefined);
        const trace = await costedTrace(found(await store.getTrace(params.traceId!), "trace", params.traceId!));
        const p = found(await paging, "trace", params.traceId!);
        return { trace, prices_version: prices.version, total: p.total, items: p.items.map(viewNode), next_cursor: p.next_cursor };
      }),
    )
    .on("GET", "/traces/:traceId/export", async ({ params, query, res }) => {
      const format = query.get("format") ?? "otlp";
      if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
        throw new HttpError(400, "invalid_parameter", `format must be one of ${EXPORT_FORMATS.join(", ")}, got ${JSON.stringify(format)}`);
      }
      const trace = await costedTrace(found(await store.getTrace(params.traceId!), "trace", params.traceId!));
      const spans = await store.listSpans(params.traceId!);
      const file = `trace-${params.traceId}`;
      if (format === "otlp") return sendFile(res, "application/json", JSON.stringify(toOtlpRequest(spans)), `${file}.otlp.json`);
      if (format === "jsonl") return sendFile(res, "application/x-ndjson", toJsonLines(spans.map(costs.span)), `${file}.jsonl`);
      const roots = buildSpanTree(spans.map(costs.span)) as Parameters<typeof toMarkdownOutline>[1];
      sendFile(res, "text/markdown", toMarkdownOutline(trace, roots), `${file}.md`);
    })
    .on(
      "GET",
      "/spans/:spanId",
      json(async ({ params }) => viewSpan(found(await store.getSpan(params.spanId!), "span", params.spanId!))),
    )
    .on(
      "GET",
      "/workspaces/:ws/sessions",
      json(async (ctx) => {
        ws(ctx);
        return groupPage("session_id", await store.listSessions(parseLimit(ctx.query), ctx.query.get("cursor") || undefined));
      }),
    )
    .on(
      "GET",
      "/workspaces/:ws/sessions/:id",
      json(async (ctx) => {
        ws(ctx);
        return group("session_id", found(await store.getSession(ctx.params.id!), "session", ctx.params.id!));
      }),
    )
    .on(
      "GET",
      "/workspaces/:ws/users",
      json(async (ctx) => {
        ws(ctx);
        return groupPage("user_id", await store.listUsers(parseLimit(ctx.query), ctx.query.get("cursor") || undefined));
      }),
    )
    .on(
      "GET",
      "/workspaces/:ws/users/:id",
      json(async (ctx) => {
        ws(ctx);
        return group("user_id", found(await store.getUser(ctx.params.id!), "user", ctx.params.id!));
      }),
    );
}

function sendFile(res: ServerResponse, type: string, body: string, filename: string): void {
  res.writeHead(200, {
    "content-type": `${type}; charset=utf-8`,
    "content-length": Buffer.byteLength(body),
    "content-disposition": `attachment; filename="${filename}"`,
    "cache-control": "no-store",
  });
  res.end(body);
}
