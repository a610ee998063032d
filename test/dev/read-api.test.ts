import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../../src/dev/index.js";
import { BASE_MS, freshDataDir, getJson, otlpBody, otlpSpan, postTraces, spanId, traceId } from "./helpers.js";

const MIN = 60_000;
let server: DevServer;
let ws: string;

// 12 runs, one a minute: users u1 (runs 0-5) / u2 (6-11); sessions s1 (0,2,4), s2 (1,3,5),
// s3 (6,7,8); even runs use gpt-4o, odd claude; run 7 has a failing tool; run 3 mentions "Needle".
function run(i: number) {
  const start = BASE_MS + i * MIN;
  const identity: Record<string, string> = { "gen_ai.user.id": i < 6 ? "u1" : "u2" };
  const session = i < 6 ? (i % 2 === 0 ? "s1" : "s2") : i < 9 ? "s3" : undefined;
  if (session) identity["gen_ai.conversation.id"] = session;
  const model = i % 2 === 0 ? "gpt-4o" : "claude-sonnet";
  return [
    otlpSpan({
      trace: i,
      span: i * 10,
      name: `run-${i}`,
      startMs: start,
      durationMs: 1000,
      attrs: { ...identity, "input.value": `question ${i}`, "output.value": JSON.stringify({ answer: i }) },
    }),
    otlpSpan({
      trace: i,
      span: i * 10 + 1,
      parent: i * 10,
      name: "llm",
      startMs: start + 100,
      durationMs: 500,
      attrs: {
        "gen_ai.request.model": model,
        "gen_ai.usage.input_tokens": 10,
        "gen_ai.usage.output_tokens": 5,
        "input.value": i === 3 ? "find the NEEDLE here" : "prompt",
      },
    }),
    otlpSpan({
      trace: i,
      span: i * 10 + 2,
      parent: i * 10 + 1,
      name: "search",
      startMs: start + 200,
      durationMs: 100,
      status: i === 7 ? 2 : 0,
      message: i === 7 ? "timeout" : undefined,
      attrs: { "openinference.span.kind": "tool" },
    }),
  ];
}

beforeAll(async () => {
  server = await startDevServer({ dataDir: await freshDataDir() });
  ws = server.workspaceId;
  // children first, in a separate request: summaries must not depend on arrival order
  for (let i = 0; i < 12; i++) {
    const [root, ...children] = run(i);
    expect((await postTraces(server, otlpBody(children))).status).toBe(200);
    expect((await postTraces(server, otlpBody([root!]))).status).toBe(200);
  }
});
afterAll(() => server?.close());

const ids = (items: Array<{ trace_id: string }>) => items.map((t) => t.trace_id);
const runIds = (...n: number[]) => n.map(traceId);
const traces = async (query: string) => {
  const res = await getJson(server, `/workspaces/${ws}/traces${query}`);
  expect(res.status).toBe(200);
  return res.body as { items: any[]; next_cursor: string | null };
};

describe("GET /workspaces/{ws}/traces", () => {
  it("lists runs newest first with their summary", async () => {
    const page = await traces("");
    expect(ids(page.items)).toEqual(runIds(11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
    expect(page.next_cursor).toBeNull();
    expect(page.items.find((t) => t.trace_id === traceId(7))).toMatchObject({
      name: "run-7",
      root_span_id: spanId(70),
      models: ["claude-sonnet"],
      span_count: 3,
      input_tokens: 10,
      output_tokens: 5,
      total_tokens: 15,
      duration_ms: 1000,
      status: "error",
      user_id: "u2",
      session_id: "s3",
      source: "push",
      input_preview: "question 7",
      start_time: new Date(BASE_MS + 7 * MIN).toISOString(),
    });
  });

  it("pages with a stable cursor, unaffected by newer runs arriving", async () => {
    const first = await traces("?limit=5");
    expect(ids(first.items)).toEqual(runIds(11, 10, 9, 8, 7));
    await postTraces(server, otlpBody([otlpSpan({ trace: 99, span: 990, name: "late", startMs: BASE_MS + 60 * MIN })]));
    const second = await traces(`?limit=5&cursor=${first.next_cursor}`);
    expect(ids(second.items)).toEqual(runIds(6, 5, 4, 3, 2));
    const third = await traces(`?limit=5&cursor=${second.next_cursor}`);
    expect(ids(third.items)).toEqual(runIds(1, 0));
    expect(third.next_cursor).toBeNull();
    expect(ids((await traces("?limit=1")).items)).toEqual(runIds(99));
  });

  it("filters by status, model, substring, user, session and time range", async () => {
    expect(ids((await traces("?status=error")).items)).toEqual(runIds(7));
    expect(ids((await traces(`?status=ok&user_id=u2&end_time=${BASE_MS + 12 * MIN}`)).items)).toEqual(runIds(11, 10, 9, 8, 6));
    expect(ids((await traces("?model=gpt-4o&user_id=u1")).items)).toEqual(runIds(4, 2, 0));
    expect(ids((await traces("?q=needle")).items)).toEqual(runIds(3));
    expect(ids((await traces("?q=RUN-1")).items)).toEqual(runIds(11, 10, 1));
    expect(ids((await traces("?session_id=s3")).items)).toEqual(runIds(8, 7, 6));
    const from = new Date(BASE_MS + 2 * MIN).toISOString();
    const to = new Date(BASE_MS + 5 * MIN).toISOString();
    expect(ids((await traces(`?start_time=${from}&end_time=${to}`)).items)).toEqual(runIds(4, 3, 2));
  });

  it("answers 400 for invalid parameters", async () => {
    for (const query of ["?limit=0", "?limit=abc", "?status=maybe", "?cursor=garbage", "?start_time=soon"]) {
      const res = await getJson(server, `/workspaces/${ws}/traces${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error).toBe("invalid_parameter");
    }
  });
});

describe("trace and span routes", () => {
  it("returns one run with its root's full input and output", async () => {
    const res = await getJson(server, `/traces/${traceId(2)}`);
    expect(res.body).toMatchObject({ trace_id: traceId(2), name: "run-2", input: "question 2", output: '{"answer":2}' });
  });

  it("returns a run's spans in start order and one span by id", async () => {
    const spans = (await getJson(server, `/traces/${traceId(7)}/spans`)).body.items;
    expect(spans.map((s: any) => [s.name, s.kind, s.status])).toEqual([
      ["run-7", "llm", "unset"],
      ["llm", "llm", "unset"],
      ["search", "tool", "error"],
    ]);
    const span = (await getJson(server, `/spans/${spanId(72)}`)).body;
    expect(span).toMatchObject({ parent_span_id: spanId(71), status_message: "timeout", span_kind: "tool", duration_ms: 100 });
  });

  it("returns the span tree of a run", async () => {
    const { trace, roots } = (await getJson(server, `/traces/${traceId(1)}/tree`)).body;
    expect(trace.span_count).toBe(3);
    expect(roots).toHaveLength(1);
    expect(roots[0].name).toBe("run-1");
    expect(roots[0].children[0].name).toBe("llm");
    expect(roots[0].children[0].children[0].name).toBe("search");
  });
});

describe("sessions and users", () => {
  it("groups runs into sessions by conversation id, most recent first", async () => {
    const { items } = (await getJson(server, `/workspaces/${ws}/sessions`)).body;
    expect(items.map((s: any) => [s.session_id, s.turns, s.user_ids])).toEqual([
      ["s3", 3, ["u2"]],
      ["s2", 3, ["u1"]],
      ["s1", 3, ["u1"]],
    ]);
    expect(items[0]).toMatchObject({
      first_start_time: new Date(BASE_MS + 6 * MIN).toISOString(),
      last_end_time: new Date(BASE_MS + 8 * MIN + 1000).toISOString(),
      error_runs: 1,
    });
    const paged = (await getJson(server, `/workspaces/${ws}/sessions?limit=2`)).body;
    const rest = (await getJson(server, `/workspaces/${ws}/sessions?limit=2&cursor=${paged.next_cursor}`)).body;
    expect([...paged.items, ...rest.items].map((s: any) => s.session_id)).toEqual(["s3", "s2", "s1"]);
  });

  it("returns one session's turns in conversation order", async () => {
    const s = (await getJson(server, `/workspaces/${ws}/sessions/s1`)).body;
    expect(s.turns).toBe(3);
    expect(ids(s.runs)).toEqual(runIds(0, 2, 4));
    expect(s.runs[1]).toMatchObject({ input: "question 2", output: JSON.stringify({ answer: 2 }) });
  });

  it("groups runs by user", async () => {
    const { items } = (await getJson(server, `/workspaces/${ws}/users`)).body;
    expect(items.map((u: any) => [u.user_id, u.run_count, [...u.session_ids].sort()])).toEqual([
      ["u2", 6, ["s3"]],
      ["u1", 6, ["s1", "s2"]],
    ]);
    const u1 = (await getJson(server, `/workspaces/${ws}/users/u1`)).body;
    expect(ids(u1.runs)).toEqual(runIds(5, 4, 3, 2, 1, 0));
    expect(u1.total_tokens).toBe(90);
  });
});

describe("read API errors", () => {
  it("answers 404 with a JSON error for unknown ids and workspaces", async () => {
    for (const path of [
      `/traces/${traceId(500)}`,
      `/traces/${traceId(500)}/spans`,
      `/traces/${traceId(500)}/tree`,
      `/spans/${spanId(500)}`,
      "/workspaces/other/traces",
      "/workspaces/other/sessions",
      "/workspaces/other/users",
      `/workspaces/${ws}/sessions/nope`,
      `/workspaces/${ws}/users/nope`,
    ]) {
      const res = await getJson(server, path);
      expect(res.status, path).toBe(404);
      expect(res.body.error).toBe("not_found");
    }
  });

  it("requires the bearer key", async () => {
    const res = await getJson(server, `/workspaces/${ws}/traces`, "bl_pk_dev_not_it");
    expect(res.status).toBe(401);
  });
});
