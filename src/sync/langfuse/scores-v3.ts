import type { JsonValue } from "../types.js";
import type { LangfuseClient } from "./client.js";
import { LangfuseError } from "./errors.js";

type Raw = Record<string, unknown>;
interface Page {
  data?: Raw[];
  meta?: { cursor?: string };
}

export const V3_SCORES_PATH = "/api/public/v3/scores";
/** Trace ids per request (`traceId` takes a comma-separated list); keeps URLs short. */
const IDS_PER_REQUEST = 50;

/** The trace a v3 score belongs to: its subject is the trace, or an observation of it. */
function traceOf(score: Raw): string | undefined {
  const subject = score.subject as Raw | undefined;
  if (subject?.kind === "trace" && typeof subject.id === "string") return subject.id;
  if (subject?.kind === "observation" && typeof subject.traceId === "string") return subject.traceId;
  return typeof score.traceId === "string" ? score.traceId : undefined;
}

/**
 * v2 observation rows carry no scores: read them for the window's traces from
 * `GET /api/public/v3/scores?traceId=a,b,…&fields=core,details,subject`, following `meta.cursor`.
 * A deployment without that route (404/400) simply has no scores to import.
 */
export async function readScoresV3(
  client: LangfuseClient,
  traceIds: readonly string[],
  stats: { requests: number },
): Promise<Map<string, JsonValue[]>> {
  const out = new Map<string, JsonValue[]>();
  for (let i = 0; i < traceIds.length; i += IDS_PER_REQUEST) {
    const query = { traceId: traceIds.slice(i, i + IDS_PER_REQUEST).join(","), fields: "core,details,subject", limit: 100 };
    let cursor: string | undefined;
    do {
      let page: Page;
      try {
        page = await client.get<Page>(V3_SCORES_PATH, { ...query, ...(cursor ? { cursor } : {}) });
      } catch (err) {
        if (err instanceof LangfuseError && (err.code === "not_found" || err.code === "bad_request")) return out;
        throw err;
      }
      stats.requests++;
      for (const score of page.data ?? []) {
        const traceId = traceOf(score);
        if (!traceId) continue;
        const list = out.get(traceId) ?? [];
        list.push(score as JsonValue);
        out.set(traceId, list);
      }
      cursor = typeof page.meta?.cursor === "string" && page.meta.cursor ? page.meta.cursor : undefined;
    } while (cursor);
  }
  return out;
}
