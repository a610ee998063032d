import type { Usage } from "../cost.js";
import type { SqlRunner } from "./sql.js";

// prompt-cache reads live in the attributes JSON (see cost.ts CACHE_READ_KEYS); digits only, so a
// malformed value is ignored rather than failing the read
const CACHED = `coalesce(${[
  "gen_ai.usage.cache_read.input_tokens",
  "gen_ai.usage.cache_read_input_tokens",
  "llm.token_count.prompt_details.cache_read",
]
  .map((k) => `case when s.attributes->>'${k}' ~ '^[0-9]{1,15}$' then (s.attributes->>'${k}')::bigint end`)
  .join(", ")})`;

const SUMS = `s.model, s.provider, sum(s.input_tokens)::text as input_tokens, sum(s.output_tokens)::text as output_tokens,
  sum(${CACHED})::text as cached_input_tokens, count(*)::int as spans`;
const HAS_TOKENS = "(s.input_tokens is not null or s.output_tokens is not null)";

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
    `select s.trace_id as key, ${SUMS} from spans s where s.trace_id = any($1::text[]) and ${HAS_TOKENS}
     group by s.trace_id, s.model, s.provider`,
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
    `select t.${by} as key, ${SUMS} from traces t join spans s on s.trace_id = t.trace_id
     where t.workspace_id = $1 and t.${by} = any($2::text[]) and ${HAS_TOKENS}
     group by t.${by}, s.model, s.provider`,
    [workspaceId, ids],
  );
  return rows.map(toUsage);
}
