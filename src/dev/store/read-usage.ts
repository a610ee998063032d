import type { Usage } from "../cost.js";
import type { SqlRunner } from "./sql.js";

// read from the per-run usage rows (usage-summary.ts), not from the spans
const SUMS = `nullif(u.model, '') as model, nullif(u.provider, '') as provider, sum(u.input_tokens)::text as input_tokens,
  sum(u.output_tokens)::text as output_tokens, sum(u.cached_input_tokens)::text as cached_input_tokens, sum(u.spans)::int as spans`;

export type KeyedUsage = Usage & { key: string };

function toUsage(r: Record<string, unknown>): KeyedUsage {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    key: r.key as string,
    model: (r.model as string | null) ?? null,
    provider: (r.provider as string | null) ?? null,
    input_tokens: n(r.input_tokens),
    output_tokens: n(r.output_tokens),
    cached_input_tokens: n(r.cached_input_tokens),
    spans: Number(r.spans),
  };
}

/** Token usage of the given traces, summed per trace, model and provider. */
export async function usageByTrace(db: SqlRunner, traceIds: readonly string[]): Promise<KeyedUsage[]> {
  if (traceIds.length === 0) return [];
  const rows = await db.query(
    `select u.trace_id as key, ${SUMS} from trace_usage u where u.trace_id = any($1::text[])
     group by u.trace_id, u.model, u.provider`,
    [traceIds],
  );
  return rows.map(toUsage);
}

/** Token usage of the given sessions or users, summed per group, model and provider. */
export async function usageByGroup(
  db: SqlRunner,
  by: "session_id" | "user_id",
  workspaceId: string,
  ids: readonly string[],
): Promise<KeyedUsage[]> {
  if (ids.length === 0) return [];
  const rows = await db.query(
    `select t.${by} as key, ${SUMS} from traces t join trace_usage u on u.trace_id = t.trace_id
     where t.workspace_id = $1 and t.${by} = any($2::text[])
     group by t.${by}, u.model, u.provider`,
    [workspaceId, ids],
  );
  return rows.map(toUsage);
}
