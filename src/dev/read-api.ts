import { HttpError, sendJson } from "./http.js";
import { pageSpans } from "./platform-routes.js";
import { parseLimit, parseTraceFilters } from "./query-params.js";
import type { Router, RouteContext } from "./router.js";
import type { Store } from "./store/index.js";
import { buildSpanTree } from "./tree.js";

function notFound(what: string, id: string): HttpError {
  return new HttpError(404, "not_found", `No ${what} with id ${JSON.stringify(id)}.`);
}

function found<T>(value: T | undefined, what: string, id: string): T {
  if (value === undefined) throw notFound(what, id);
  return value;
}

/**
 * The read API, routed as the platform's CLI uses it. Workspace routes check the workspace id;
 * id routes (`/traces/…`, `/spans/…`) are not workspace-scoped. Auth is checked by the caller.
 */
export function registerReadApi(router: Router, store: Store, workspaceId: string): void {
  const ws = (ctx: RouteContext) => {
    const id = ctx.params.ws!;
    if (id !== workspaceId) throw notFound("workspace", id);
  };
  const json = (fn: (ctx: RouteContext) => Promise<unknown>) => async (ctx: RouteContext) => {
    sendJson(ctx.res, 200, await fn(ctx));
  };

  router
    .on("GET", "/workspaces/:ws/traces", json(async (ctx) => {
      ws(ctx);
      return store.listTraces(parseTraceFilters(ctx.query));
    }))
    .on("GET", "/traces/:traceId", json(async ({ params }) => found(await store.getTrace(params.traceId!), "trace", params.traceId!)))
    .on("GET", "/traces/:traceId/spans", json(async ({ params, query }) => {
      const spans = await store.listSpans(params.traceId!);
      if (spans.length === 0) throw notFound("trace", params.traceId!);
      return pageSpans(spans, query);
    }))
    .on("GET", "/traces/:traceId/tree", json(async ({ params }) => {
      const trace = found(await store.getTrace(params.traceId!), "trace", params.traceId!);
      return { trace, roots: buildSpanTree(await store.listSpans(params.traceId!)) };
    }))
    .on("GET", "/spans/:spanId", json(async ({ params }) => found(await store.getSpan(params.spanId!), "span", params.spanId!)))
    .on("GET", "/workspaces/:ws/sessions", json(async (ctx) => {
      ws(ctx);
      return store.listSessions(parseLimit(ctx.query), ctx.query.get("cursor") || undefined);
    }))
    .on("GET", "/workspaces/:ws/sessions/:id", json(async (ctx) => {
      ws(ctx);
      return found(await store.getSession(ctx.params.id!), "session", ctx.params.id!);
    }))
    .on("GET", "/workspaces/:ws/users", json(async (ctx) => {
      ws(ctx);
      return store.listUsers(parseLimit(ctx.query), ctx.query.get("cursor") || undefined);
    }))
    .on("GET", "/workspaces/:ws/users/:id", json(async (ctx) => {
      ws(ctx);
      return found(await store.getUser(ctx.params.id!), "user", ctx.params.id!);
    }));
}
