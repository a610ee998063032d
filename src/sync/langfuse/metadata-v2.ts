import type { LangfuseClient, Query } from "./client.js";

type Raw = Record<string, unknown>;
interface Page {
  data?: Raw[];
  meta?: { cursor?: string };
}

/**
 * v2 cuts every metadata value to 200 characters (Unicode code points, ClickHouse `leftUTF8`)
 * unless its key is listed in `expandMetadata`. The keys are not known before reading, so a
 * page whose metadata holds a value of that length is read once more with those keys expanded.
 */
export const V2_METADATA_CUT = 200;

/** Keys whose value may have been cut: strings of exactly (or, defensively, at least) the cut length. */
export function possiblyCutKeys(rows: readonly Raw[]): string[] {
  const keys = new Set<string>();
  for (const row of rows) {
    const metadata = row.metadata;
    if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) continue;
    for (const [key, value] of Object.entries(metadata)) {
      // a key holding a comma cannot be named in the comma-separated parameter
      if (typeof value === "string" && !key.includes(",") && codePoints(value) >= V2_METADATA_CUT) keys.add(key);
    }
  }
  return [...keys].sort();
}

function codePoints(s: string): number {
  if (s.length < V2_METADATA_CUT) return s.length; // fewer code units means fewer code points
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** One page of `GET /v2/observations` with every metadata value whole (lossless import). */
export async function readMetadataPage(
  client: LangfuseClient,
  path: string,
  query: Query,
  stats: { requests: number },
): Promise<{ data: Raw[]; cursor?: string }> {
  const page = await client.get<Page>(path, query);
  stats.requests++;
  const data = Array.isArray(page.data) ? page.data : [];
  const cursor = typeof page.meta?.cursor === "string" && page.meta.cursor ? page.meta.cursor : undefined;
  const keys = possiblyCutKeys(data);
  if (keys.length === 0) return { data, cursor };
  const full = await client.get<Page>(path, { ...query, expandMetadata: keys.join(",") });
  stats.requests++;
  const whole = new Map((full.data ?? []).map((r) => [String(r.id), r.metadata]));
  return { data: data.map((r) => (whole.has(String(r.id)) ? { ...r, metadata: whole.get(String(r.id)) } : r)), cursor };
}
