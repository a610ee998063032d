import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SpanRow } from "../../src/dev/span-row.js";
import { openPglite } from "../../src/dev/store/pglite.js";
import type { SqlDatabase } from "../../src/dev/store/sql.js";
import { cachedSql, cachedTokens, usageDeltas } from "../../src/dev/store/usage-summary.js";
import { freshDataDir } from "./helpers.js";

const KEY = "gen_ai.usage.cache_read.input_tokens";
const OTHER = "llm.token_count.prompt_details.cache_read";

describe("usage deltas computed before the write", () => {
  let db: SqlDatabase;
  beforeAll(async () => {
    db = await openPglite(`${await freshDataDir()}/db`, { thread: false });
  });
  afterAll(() => db?.close());

  it("read cache tokens exactly as the SQL recompute does, for awkward values", async () => {
    const cases: Array<Record<string, unknown>> = [
      {},
      { [KEY]: 12 },
      { [KEY]: "12" },
      { [KEY]: 12.5 },
      { [KEY]: 1e3 },
      { [KEY]: 1e21 },
      { [KEY]: -5 },
      { [KEY]: " 7" },
      { [KEY]: "7\n" },
      { [KEY]: true },
      { [KEY]: null },
      { [KEY]: [3] },
      { [KEY]: "1234567890123456" },
      { [KEY]: "abc", [OTHER]: 9 },
      { [KEY]: "", [OTHER]: "0009" },
    ];
    for (const attributes of cases) {
      const [row] = await db.query<{ n: string | null }>(`select (${cachedSql("x")})::text as n from (select $1::jsonb as attributes) x`, [
        JSON.stringify(attributes),
      ]);
      const sql = row!.n === null ? null : Number(row!.n);
      expect(cachedTokens(attributes), JSON.stringify(attributes)).toBe(sql);
    }
  });

  it("sum per run, model and provider with SQL's null rules, skip spans without tokens, and sort", () => {
    const span = (trace: string, model: string | null, input: number | null, output: number | null, cached?: number) =>
      ({
        trace_id: trace,
        model,
        provider: null,
        input_tokens: input,
        output_tokens: output,
        attributes: cached === undefined ? {} : { [KEY]: cached },
      }) as unknown as SpanRow;
    const deltas = usageDeltas([
      span("b", "gpt", 1, null),
      span("a", null, null, null, 5),
      span("b", "gpt", 2, null, 3),
      span("a", "gpt", null, 4),
    ]);
    expect(deltas).toEqual([
      { trace_id: "a", model: "gpt", provider: "", input_tokens: null, output_tokens: 4, cached_input_tokens: null, spans: 1 },
      { trace_id: "b", model: "gpt", provider: "", input_tokens: 3, output_tokens: null, cached_input_tokens: 3, spans: 2 },
    ]);
  });
});
