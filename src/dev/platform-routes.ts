import { maskSecret } from "../log.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import { HttpError, sendJson } from "./http.js";
import type { Router } from "./router.js";

/** The one workspace a dev server serves, as `GET /workspaces` lists it. */
export function devWorkspace(workspaceId: string) {
  return { id: workspaceId, name: "Local dev workspace", kind: "dev" };
}

/**
 * The identity routes of SPEC §8 on the dev server: `GET /workspaces` (the dev key sees exactly
 * its one workspace) and `GET /auth/whoami` (the key, masked, and that workspace). Auth is
 * checked by the caller, so both answer 401 to a wrong key like every other route.
 */
export function registerPlatformRoutes(router: Router, creds: { workspaceId: string; apiKey: string }): void {
  const workspaces = [devWorkspace(creds.workspaceId)];
  router.on("GET", "/workspaces", ({ res }) => sendJson(res, 200, { items: workspaces, next_cursor: null }));
  router.on("GET", "/auth/whoami", ({ res }) =>
    sendJson(res, 200, {
      principal: { type: "api_key", name: "bentolabs dev key", key: maskSecret(creds.apiKey) },
      workspaces,
    }),
  );
}

const MAX_SPAN_LIMIT = 1000;

/**
 * `limit` / `cursor` of `GET /traces/{trace_id}/spans` over a trace's spans in start order.
 * Without `limit` every span is returned (the route's behaviour before paging existed); with it,
 * a keyset page whose `next_cursor` is the last span's (start, id).
 */
export function pageSpans<T extends { start_unix_nano: string; span_id: string }>(
  spans: T[],
  query: URLSearchParams,
): { items: T[]; next_cursor: string | null } {
  const rawLimit = query.get("limit");
  const cursor = query.get("cursor") || undefined;
  let rest = spans;
  if (cursor) {
    const [start, id] = decodeCursor(cursor, 2) as [string, string];
    rest = spans.filter((s) => BigInt(s.start_unix_nano) > BigInt(start) || (s.start_unix_nano === start && s.span_id > id));
  }
  if (rawLimit === null || rawLimit === "") return { items: rest, next_cursor: null };
  const limit = Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SPAN_LIMIT) {
    throw new HttpError(400, "invalid_parameter", `limit must be an integer from 1 to ${MAX_SPAN_LIMIT}, got ${JSON.stringify(rawLimit)}`);
  }
  const items = rest.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next_cursor: rest.length > limit && last ? encodeCursor([last.start_unix_nano, last.span_id]) : null };
}
