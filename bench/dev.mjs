// `npm run bench:dev`: ingest throughput of `bentolabs dev` into PGlite and a real PostgreSQL,
// each next to the same database's own ceiling (the same rows as plain multi-row INSERTs into an
// unindexed table, one statement and commit per batch), then read latency with 200,000 spans stored
// (20-span runs, one of 2,000 spans and one of 20,000).
// The load generator runs in its own process (bench/dev-load.mjs). Ingest and baseline alternate
// in BENCH_ROUNDS rounds, so a change in the machine's load hits both; the ratio reported is the
// median of the rounds' ratios, with the lowest and highest.
import { fork } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDevServer } from "../dist/dev/index.js";
import { otlpBodies, postAll, traceSpans } from "./dev-data.mjs";
import { copyIn, startPostgres } from "./dev-postgres.mjs";

const BATCH = 512;
const PER_TRACE = 20;
const INGEST_SPANS = Number(process.env.BENCH_SPANS ?? 30_720);
const READ_SPANS = Number(process.env.BENCH_READ_SPANS ?? 200_000);
// Spans sent before measuring, so a fresh process's JIT and WebAssembly tier-up are not measured.
const WARMUP_SPANS = Number(process.env.BENCH_WARMUP_SPANS ?? 10_240);
const READ_TIMES = Number(process.env.BENCH_READ_TIMES ?? 30);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const only = process.argv[2]; // "pglite" | "postgres" | "reads" | undefined (all)

const fmt = (n) => Math.round(n).toLocaleString("en-US");
const tmp = () => mkdtemp(join(tmpdir(), "bentolabs-bench-"));

/** The bench's rows as the columns of an unindexed copy of `spans` (the baseline's input). */
function baselineRows(bodies) {
  const rows = [];
  for (const { body } of bodies) {
    for (const rs of JSON.parse(body).resourceSpans)
      for (const ss of rs.scopeSpans)
        for (const s of ss.spans) {
          const a = Object.fromEntries(s.attributes.map((kv) => [kv.key, Object.values(kv.value)[0]]));
          rows.push([
            s.traceId,
            s.spanId,
            s.parentSpanId ?? null,
            s.name,
            s.kind,
            a["openinference.span.kind"],
            "ok",
            null,
            s.startTimeUnixNano,
            s.endTimeUnixNano,
            a["gen_ai.user.id"] ?? null,
            a["gen_ai.conversation.id"] ?? null,
            a["gen_ai.request.model"],
            a["gen_ai.system"],
            a["input.value"],
            a["output.value"],
            null,
            a["gen_ai.usage.input_tokens"],
            a["gen_ai.usage.output_tokens"],
            JSON.stringify({ "llm.temperature": 0.2 }),
            JSON.stringify({ "service.name": "bench-agent" }),
            JSON.stringify({ name: "@bentolabs/sdk" }),
            "[]",
            "[]",
          ]);
        }
  }
  return rows;
}

const BASELINE_TABLE = `create table plain_spans (trace_id text, span_id text, parent_span_id text, name text,
  otel_kind smallint, span_kind text, status_code text, status_message text, start_ns bigint, end_ns bigint,
  user_id text, session_id text, model text, provider text, input text, output text, tags jsonb,
  input_tokens bigint, output_tokens bigint, attributes jsonb, resource jsonb, scope jsonb, events jsonb, links jsonb)`;

const literal = (v) => (v === null || v === undefined ? "null" : `'${String(v).replaceAll("'", "''")}'`);

const copyField = (v) =>
  v === null || v === undefined
    ? "\\N"
    : String(v).replace(/[\\\n\r\t]/g, (c) => ({ "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" })[c]);
const copyText = (chunk) => chunk.map((r) => `${r.map(copyField).join("\t")}\n`).join("");

const insertSql = (chunk) => `insert into plain_spans values ${chunk.map((r) => `(${r.map(literal).join(",")})`).join(",")}`;

/**
 * Multi-row INSERTs of BATCH rows with inline literals (the fastest plain form on PGlite, where
 * 12,000 bind parameters cost more than parsing the text), `inFlight` at a time, each its own
 * commit; resolves to rows/s.
 */
async function baseline(exec, rows, inFlight, encode = insertSql) {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < rows.length) await exec(encode(rows.slice(next, (next += BATCH))));
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return rows.length / ((performance.now() - started) / 1000);
}

/** The bench's load generator process: `post(server, run, spans)` resolves to { spans, seconds }. */
function startLoad() {
  const child = fork(new URL("./dev-load.mjs", import.meta.url), { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return {
    post: (server, run, spans) =>
      new Promise((resolve, reject) => {
        child.once("message", (m) => (m.error ? reject(new Error(`load generator: ${m.error}`)) : resolve(m.ok)));
        child.send({
          url: server.url,
          apiKey: server.apiKey,
          run,
          traces: Math.ceil(spans / PER_TRACE),
          perTrace: PER_TRACE,
          batch: BATCH,
          inFlight: 2,
        });
      }),
    stop: () => child.kill(),
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/**
 * ROUNDS rounds of INGEST_SPANS spans into `server` (after a warm-up), each followed by the search
 * indexer catching up and, with `exec`, the baseline taking the same round's rows into its table
 * (and, with `copy`, PostgreSQL's COPY taking them into another). The tables grow round by round alike.
 */
async function ingestRounds(server, run, exec, copy) {
  const load = startLoad();
  try {
    // warm-up (JIT, WebAssembly tier-up, first pages) outside the measurement, for both
    await load.post(server, run + 100, WARMUP_SPANS);
    await searchCaughtUp(server);
    if (exec) {
      const warm = baselineRows(
        otlpBodies({ run: run + 100, traces: Math.ceil(WARMUP_SPANS / PER_TRACE), perTrace: PER_TRACE, batch: BATCH }),
      );
      await baseline(exec, warm, 2);
      await exec("truncate plain_spans");
      if (copy) {
        await baseline(copy, warm, 2, copyText);
        await exec("truncate plain_copy");
      }
    }
    const rounds = [];
    for (let k = 0; k < ROUNDS; k++) {
      const { spans, seconds } = await load.post(server, run + k, INGEST_SPANS);
      const indexedAfter = await searchCaughtUp(server);
      const bodies = otlpBodies({ run: run + k, traces: Math.ceil(INGEST_SPANS / PER_TRACE), perTrace: PER_TRACE, batch: BATCH });
      const rows = exec ? baselineRows(bodies) : [];
      rounds.push({
        rate: spans / seconds,
        indexedAfter,
        ceiling: exec ? await baseline(exec, rows, 2) : undefined,
        copyCeiling: copy ? await baseline(copy, rows, 2, copyText) : undefined,
      });
      if (process.env.BENCH_VERBOSE) console.error(`  round ${k + 1}: ${JSON.stringify(rounds.at(-1))}`);
    }
    return rounds;
  } finally {
    load.stop();
  }
}

/**
 * Seconds until the background search indexer has covered every span (GET /health's
 * search_index_pending reaches 0); ingest acknowledges spans before they are indexed.
 */
async function searchCaughtUp(server) {
  const started = performance.now();
  for (;;) {
    const res = await fetch(`${server.url}/health`, { headers: { authorization: `Bearer ${server.apiKey}` } });
    const health = await res.json();
    if (!health.search_index || health.search_index_pending === 0) return (performance.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function benchPglite() {
  const searchIndex = process.env.BENCH_SEARCH_INDEX !== "off";
  const { PGlite } = await import("@electric-sql/pglite");
  const dir = await tmp();
  // the dev server's engine settings (src/dev/store/engine.ts PGLITE_SETTINGS), so both run the same engine
  const db = await PGlite.create({ dataDir: dir, startParams: [...PGlite.defaultStartParams, "-c", "wal_init_zero=off"] });
  await db.exec(BASELINE_TABLE);
  const dataDir = await tmp();
  // BENCH_SEARCH_INDEX=off: ingest without the trigram search index (bentolabs dev --search-index off)
  const server = await startDevServer({ dataDir, searchIndex });
  const rounds = await ingestRounds(server, 10, (t) => db.exec(t));
  await server.close();
  await db.close();
  // the same with the engine on the main thread (engineThread: false), against the baseline above
  const sameThreadDir = await tmp();
  const sameThread = await startDevServer({ dataDir: sameThreadDir, engineThread: false, searchIndex });
  const sameThreadRounds = await ingestRounds(sameThread, 50);
  await sameThread.close();
  await Promise.all([dataDir, sameThreadDir, dir].map((d) => rm(d, { recursive: true, force: true })));
  const index = searchIndex ? "" : ", --search-index off";
  const ceiling = median(rounds.map((r) => r.ceiling));
  return [
    { store: `PGlite (embedded, own thread: the default)${index}`, rounds },
    {
      store: `PGlite (embedded, engineThread: false)${index}`,
      rounds: sameThreadRounds.map((r) => ({ ...r, ceiling })),
      note: "ratio against the baseline rounds above",
    },
  ];
}

async function benchPostgres() {
  const pgServer = await startPostgres();
  if (pgServer.skipped) return { store: "PostgreSQL", skipped: pgServer.skipped };
  try {
    const dataDir = await tmp();
    const pool = new pgServer.pg.Pool({ connectionString: pgServer.url, max: 2 });
    // an idle connection ended by the server's shutdown (after a failure below) is not news
    pool.on("error", () => undefined);
    await pool.query(BASELINE_TABLE);
    await pool.query("create table plain_copy (like plain_spans)");
    // PostgreSQL's own bulk path for the same rows (the dev server itself COPYs): one connection per batch in flight
    const copy = async (text) => {
      const client = await pool.connect();
      try {
        await copyIn(client, "plain_copy", text);
      } finally {
        client.release();
      }
    };
    const server = await startDevServer({ dataDir, databaseUrl: pgServer.url });
    const rounds = await ingestRounds(server, 20, (t) => pool.query(t), copy);
    await server.close();
    await pool.end();
    await rm(dataDir, { recursive: true, force: true });
    return { store: "PostgreSQL (--database-url)", rounds };
  } finally {
    await pgServer.stop();
  }
}

function p95(samples) {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: s[Math.floor(s.length * 0.5)], p95: s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] };
}

/** p50 and p95 of `times` GETs of `path`; `before` (untimed) runs before each. */
async function timed(server, path, times = 30, before) {
  const samples = [];
  for (let i = 0; i < times; i++) {
    if (before) await before();
    const t0 = performance.now();
    const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${server.apiKey}` } });
    const body = await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${Buffer.from(body).toString().slice(0, 200)}`);
    samples.push(performance.now() - t0);
  }
  return p95(samples);
}

/** Post one run of `perTrace` spans in BATCH-span bodies; resolves to its OTLP spans. */
async function postRun(server, { run, t, perTrace }) {
  const spans = traceSpans({ run, t, perTrace, baseNs: 1767225600000000000n + 10n ** 15n });
  const bodies = [];
  for (let i = 0; i < spans.length; i += BATCH) {
    const chunk = spans.slice(i, i + BATCH);
    bodies.push({ count: chunk.length, body: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: chunk }] }] }) });
  }
  await postAll({ url: server.url, apiKey: server.apiKey, bodies });
  return spans;
}

/** Step `n` added after a run's last span (`spans` as postRun returned them): a new id, starting after the others. */
function extraStep(spans, n) {
  const last = spans[spans.length - 1];
  const start = BigInt(last.startTimeUnixNano) + BigInt(n) * 1_000_000n;
  return {
    ...last,
    spanId: `ff${n.toString(16).padStart(14, "0")}`,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + 900_000n),
  };
}

async function benchReads() {
  const dataDir = await tmp();
  const server = await startDevServer({ dataDir });
  const traces = Math.max(0, Math.ceil((READ_SPANS - 22_000) / PER_TRACE));
  const seedStart = performance.now();
  await postAll({ url: server.url, apiKey: server.apiKey, bodies: otlpBodies({ run: 3, traces, perTrace: PER_TRACE, batch: BATCH }) });
  // one long trajectory of 2,000 spans, and one of 20,000 (a root and its 19,999 steps)
  const big = await postRun(server, { run: 4, t: 7, perTrace: 2000 });
  const huge = await postRun(server, { run: 6, t: 9, perTrace: 20_000 });
  const seeded = ((performance.now() - seedStart) / 1000).toFixed(1);
  // reads are timed once the background search indexer has caught up (a step delays a read by ~60 ms)
  const indexed = (await searchCaughtUp(server)).toFixed(1);
  const bigId = big[0].traceId;
  const hugeId = huge[0].traceId;
  // the 20,000-span run's last page of 2,000: its cursor is the span before it in tree order (the root, then steps in start order)
  const lastCursor = Buffer.from(JSON.stringify([huge[huge.length - 2001].spanId])).toString("base64url");
  // one more step of the 20,000-span run before each request: every page then re-reads the run's tree
  let extra = 0;
  const writeToHuge = () =>
    postAll({
      url: server.url,
      apiKey: server.apiKey,
      bodies: [{ count: 1, body: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [extraStep(huge, ++extra)] }] }] }) }],
    });
  const ws = `/workspaces/${server.workspaceId}`;
  const rows = [
    ["runs list (50 newest)", `${ws}/traces?limit=50`],
    ["runs filtered (status=error, model)", `${ws}/traces?limit=50&status=error&model=gpt-4o`],
    ["search, common word (q=refund)", `${ws}/traces?limit=50&q=refund`],
    ['search, rare term: one old run (q="120:0 ")', `${ws}/traces?limit=50&q=${encodeURIComponent("120:0 ")}`],
    ["search, absent term (q=zeppelin)", `${ws}/traces?limit=50&q=zeppelin`],
    ["session (4 turns)", `${ws}/sessions/session-3-10`],
    ["sessions list (50)", `${ws}/sessions?limit=50`],
    ["users list (50)", `${ws}/users?limit=50`],
    ["user (20 runs)", `${ws}/users/user-10`],
    ["trajectory, 2,000 spans: first page of 500 (/nodes)", `/traces/${bigId}/nodes?limit=500`],
    ["trajectory, 2,000 spans: whole, one page (/nodes?limit=2000)", `/traces/${bigId}/nodes?limit=2000`],
    ["trajectory, 2,000 spans: whole tree with payloads (/tree)", `/traces/${bigId}/tree`],
    ["trajectory, 20,000 spans: first page of 500 (/nodes)", `/traces/${hugeId}/nodes?limit=500`],
    ["trajectory, 20,000 spans: last page of 2,000 (/nodes)", `/traces/${hugeId}/nodes?limit=2000&cursor=${lastCursor}`],
    ["trajectory, 20,000 spans: first page of 500 after a write to the run", `/traces/${hugeId}/nodes?limit=500`, writeToHuge],
    ["one span (payloads, on click)", `/spans/${big[1500].spanId}`],
  ];
  const out = [];
  // the store refreshes planner statistics in the background every 30 s; a server started on a
  // seeded data dir has them from its start, so wait for one refresh rather than measure before it
  await new Promise((r) => setTimeout(r, Number(process.env.BENCH_SETTLE_MS ?? 31_000)));
  for (const [label, path, before] of rows) out.push({ label, ...(await timed(server, path, READ_TIMES, before)) });
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
  return { seeded, indexed, spans: traces * PER_TRACE + 22_000, out };
}

console.log(`bench:dev: ${BATCH}-span OTLP JSON batches of ~1.5 KB spans, ${PER_TRACE}-span traces, 2 requests in flight`);
if (!only || only === "pglite" || only === "postgres") {
  const results = [];
  if (!only || only === "pglite") results.push(...(await benchPglite()));
  if (!only || only === "postgres") results.push(await benchPostgres());
  console.log(
    `\ningest: ${ROUNDS} rounds of ${fmt(INGEST_SPANS)} spans (acknowledged after commit; load generator in its own process), each followed by the database's unindexed multi-row INSERT of the same rows; median (lowest-highest)`,
  );
  console.log(
    "| store | dev server spans/s | unindexed INSERT rows/s | ratio | search index caught up after (s, longest) |\n|---|---:|---:|---:|---:|",
  );
  const spread = (xs, f) => `${f(median(xs))} (${f(Math.min(...xs))}-${f(Math.max(...xs))})`;
  for (const r of results) {
    if (r.skipped) {
      console.log(`| ${r.store} | skipped: ${r.skipped} | | | |`);
      continue;
    }
    const rates = r.rounds.map((x) => x.rate);
    const ceilings = r.rounds.map((x) => x.ceiling);
    const ratios = r.rounds.map((x) => x.rate / x.ceiling);
    const ratio = (n) => n.toFixed(2);
    console.log(
      `| ${r.store} | ${spread(rates, fmt)} | ${r.note ? `${fmt(ceilings[0])} (${r.note})` : spread(ceilings, fmt)} | ${spread(ratios, ratio)} | ${Math.max(...r.rounds.map((x) => x.indexedAfter)).toFixed(1)} |`,
    );
  }
  const copied = results.filter((r) => r.rounds?.[0]?.copyCeiling);
  if (copied.length > 0) {
    console.log(
      "\nthe same rounds against the database's bulk load: COPY FROM STDIN (text format) of the same rows into an unindexed table, a commit per 512-row batch, 2 in flight",
    );
    console.log("| store | dev server spans/s | unindexed COPY rows/s | ratio |\n|---|---:|---:|---:|");
    for (const r of copied) {
      const ceilings = r.rounds.map((x) => x.copyCeiling);
      const ratios = r.rounds.map((x) => x.rate / x.copyCeiling);
      console.log(
        `| ${r.store} | ${spread(
          r.rounds.map((x) => x.rate),
          fmt,
        )} | ${spread(ceilings, fmt)} | ${spread(ratios, (n) => n.toFixed(2))} |`,
      );
    }
  }
}
if (!only || only === "reads") {
  const r = await benchReads();
  console.log(
    `\nreads with ${fmt(r.spans)} spans stored in PGlite (seeded in ${r.seeded} s, search index caught up ${r.indexed} s later), ${READ_TIMES} requests each, ms`,
  );
  console.log("| request | p50 | p95 |\n|---|---:|---:|");
  for (const o of r.out) console.log(`| ${o.label} | ${o.p50.toFixed(1)} | ${o.p95.toFixed(1)} |`);
}
