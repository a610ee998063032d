import type { ServerResponse } from "node:http";
import { SyncServiceError } from "../sync/errors.js";
import type { SyncService } from "../sync/service.js";
import { HttpError, readBody, sendError, sendJson } from "./http.js";
import type { RouteContext, Router } from "./router.js";

const MAX_BODY = 64 * 1024;

async function jsonBody(ctx: RouteContext): Promise<unknown> {
  const raw = await readBody(ctx.req, MAX_BODY);
  try {
    return JSON.parse(raw.toString("utf8")) as unknown;
  } catch {
    throw new HttpError(400, "invalid_json", "The request body is not valid JSON.");
  }
}

/** Service refusals become `{ error, message, field?, allowed? }` with their 404/422 status. */
async function answer(res: ServerResponse, status: number, work: () => Promise<unknown>): Promise<void> {
  try {
    const body = await work();
    if (status === 204) {
      res.writeHead(204, { "cache-control": "no-store" });
      res.end();
    } else sendJson(res, status, body);
  } catch (err) {
    if (!(err instanceof SyncServiceError)) throw err;
    const extra = { ...(err.field ? { field: err.field } : {}), ...(err.allowed ? { allowed: err.allowed } : {}) };
    sendError(res, new HttpError(err.status, err.code, err.message), extra);
  }
}

/**
 * SPEC §8 management routes on the dev server, over the sync service. The dev server has one
 * workspace; other workspace ids are a 404 that names the right one. Responses never contain a
 * Langfuse secret (the service only returns redacted views).
 */
export function registerSyncRoutes(router: Router, service: SyncService, workspaceId: string): void {
  const ws = (ctx: RouteContext): string => {
    const id = ctx.params.ws ?? "";
    if (id !== workspaceId)
      throw new HttpError(
        404,
        "not_found",
        `No workspace ${JSON.stringify(id)}: this dev server serves workspace "${workspaceId}" (bentolabs workspaces use ${workspaceId}).`,
      );
    return id;
  };
  const id = (ctx: RouteContext) => ctx.params.id ?? "";

  router.on("GET", "/workspaces/:ws/credentials", (ctx) => answer(ctx.res, 200, () => service.listCredentials(ws(ctx))));
  router.on("POST", "/workspaces/:ws/credentials", async (ctx) => {
    const w = ws(ctx);
    const body = await jsonBody(ctx);
    await answer(ctx.res, 201, () => service.createCredential(w, body));
  });
  router.on("GET", "/credentials/:id", (ctx) => answer(ctx.res, 200, () => service.getCredential(id(ctx))));
  router.on("PUT", "/credentials/:id", async (ctx) => {
    const body = await jsonBody(ctx);
    await answer(ctx.res, 200, () => service.updateCredential(id(ctx), body));
  });
  router.on("DELETE", "/credentials/:id", (ctx) => answer(ctx.res, 204, () => service.deleteCredential(id(ctx))));
  router.on("POST", "/credentials/:id/health-check", (ctx) => answer(ctx.res, 200, () => service.runHealthCheck(id(ctx))));
  router.on("GET", "/credentials/:id/sync/status", (ctx) => answer(ctx.res, 200, () => service.status(id(ctx))));
  router.on("GET", "/workspaces/:ws/sync-settings", (ctx) => answer(ctx.res, 200, () => service.getSettings(ws(ctx))));
  router.on("PATCH", "/workspaces/:ws/sync-settings", async (ctx) => {
    const w = ws(ctx);
    const body = await jsonBody(ctx);
    await answer(ctx.res, 200, () => service.patchSettings(w, body));
  });
  router.on("GET", "/workspaces/:ws/sync-reports", (ctx) =>
    answer(ctx.res, 200, () => service.listReports(ws(ctx), ctx.query.get("limit"))),
  );
  router.on("GET", "/workspaces/:ws/sync-doctor", (ctx) =>
    answer(ctx.res, 200, () => service.doctor(ws(ctx), ctx.query.get("from_date"), ctx.query.get("to_date"))),
  );
}
