// Benchmark: the SDK against a raw OpenTelemetry baseline (BasicTracerProvider + BatchSpanProcessor
// + OTLPTraceExporter JSON, the same attributes), alternated in one process against one receiver in
// its own process. Every figure is a median over repetitions; ratios are medians of per-repetition
// ratios (SDK / baseline). Per-call times are percentiles of individually timed calls, never means.
// BENCH_QUICK=1 runs a tiny version (used by the test suite so this script cannot rot).
import { fork } from "node:child_process";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import * as bento from "../dist/index.js";

const QUICK = process.env.BENCH_QUICK === "1";
const REPS = Number(process.env.BENCH_REPS ?? (QUICK ? 1 : 3));
const BURST = QUICK ? 5_000 : 200_000;
const HOT = QUICK ? 2_000 : 50_000;
const INLINE = QUICK ? 2_000 : 20_000;
const STEADY_MS = QUICK ? 400 : 3_000;
const CONCURRENT = QUICK ? 100 : 1_000;
process.env.BENTOLABS_LOG_LEVEL ??= "error"; // the receiver-down runs drop spans on purpose
const KEY = "bl_pk_bench_0000000000000000";
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc");

const receiver = fork(new URL("./receiver.mjs", import.meta.url), { stdio: ["ignore", "ignore", "inherit", "ipc"] });
const port = await new Promise((resolve) => receiver.once("message", (m) => resolve(m.port)));
const URL_OK = `http://127.0.0.1:${port}`;
const URL_DOWN = "http://127.0.0.1:9"; // discard port: nothing listens, connections are refused
const received = async () => (await (await fetch(`${URL_OK}/count`)).json()).spans;
const turn = () => new Promise((resolve) => setImmediate(resolve));

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const input = "What is the capital of France? Answer in one word.";
const output = "Paris";

// ---- the two contenders: same operations, same attributes ----
function sdk(baseUrl, { gzip = false } = {}) {
  bento.init({ apiKey: KEY, baseUrl, serviceName: "bench", compression: gzip ? "gzip" : "auto" });
  return {
    name: "sdk",
    llm: (i) =>
      bento.trackAi({
        event: "answer",
        model: "gpt-4o",
        provider: "openai",
        input,
        output,
        usage: { inputTokens: 31, outputTokens: 2 },
        userId: "u1",
        convoId: "c1",
        properties: { route: "/chat", n: i },
      }),
    trajectory: () =>
      bento.begin({ event: "chat", userId: "u1", convoId: "c1", input }, (t) => {
        bento.toolSpan("lookup", { input: { q: input } }, () => "docs");
        bento.trackAi({ event: "answer", model: "gpt-4o", provider: "openai", input, output, usage: { inputTokens: 31, outputTokens: 2 } });
        bento.toolSpan("format", { input: output }, () => output);
        t.finish({ output });
      }),
    run: () =>
      bento.begin({ event: "chat", userId: "u1", convoId: "c1", input }, async (t) => {
        await turn();
        await bento.toolSpan("lookup", { input: { q: input } }, async () => (await turn(), "docs"));
        bento.trackAi({ event: "answer", model: "gpt-4o", provider: "openai", input, output });
        t.finish({ output });
      }),
    flush: () => bento.flush({ timeoutMs: 60_000 }),
    stop: () => bento.shutdown({ timeoutMs: 2_000 }),
  };
}

function raw(baseUrl, { gzip = false } = {}) {
  const exporter = new OTLPTraceExporter({
    url: `${baseUrl}/v1/traces`,
    headers: { Authorization: `Bearer ${KEY}` },
    ...(gzip ? { compression: "gzip" } : {}),
  });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "bench" }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer("raw");
  // Exactly the 19 attributes the SDK's trackAi call above produces (portable attributes on).
  const answerAttrs = () => ({
    "gen_ai.request.model": "gpt-4o",
    "llm.model_name": "gpt-4o",
    "gen_ai.system": "openai",
    "llm.provider": "openai",
    "input.value": input,
    "input.mime_type": "text/plain",
    "output.value": output,
    "output.mime_type": "text/plain",
    "gen_ai.usage.input_tokens": 31,
    "gen_ai.usage.output_tokens": 2,
    "llm.token_count.prompt": 31,
    "llm.token_count.completion": 2,
    "llm.token_count.total": 33,
  });
  const llmAttrs = (i) => ({
    route: "/chat",
    n: i,
    "gen_ai.user.id": "u1",
    "user.id": "u1",
    "gen_ai.conversation.id": "c1",
    "session.id": "c1",
    ...answerAttrs(),
  });
  const rootAttrs = {
    "input.value": input,
    "input.mime_type": "text/plain",
    "gen_ai.user.id": "u1",
    "user.id": "u1",
    "gen_ai.conversation.id": "c1",
    "session.id": "c1",
  };
  const toolAttrs = (v, mime) => ({ "input.value": v, "input.mime_type": mime, "openinference.span.kind": "tool" });
  return {
    name: "raw",
    llm: (i) => tracer.startSpan("answer", { attributes: llmAttrs(i) }).end(),
    // The same four spans with the same attributes as the SDK's trajectory above.
    trajectory: () =>
      tracer.startActiveSpan("chat", { attributes: rootAttrs }, (root) => {
        tracer.startActiveSpan("lookup", { attributes: toolAttrs(JSON.stringify({ q: input }), "application/json") }, (s) => s.end());
        tracer.startSpan("answer", { attributes: answerAttrs() }).end();
        tracer.startActiveSpan("format", { attributes: toolAttrs(output, "text/plain") }, (s) => s.end());
        root.setAttributes({ "output.value": output, "output.mime_type": "text/plain" });
        root.end();
      }),
    flush: () => provider.forceFlush(),
    stop: () => provider.shutdown(),
  };
}

// ---- measurements ----
const pct = (xs, p) => {
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** Each call timed on its own; the exporter gets a turn every 100 calls, as a server would give it. */
async function inline(make, op) {
  const c = make(URL_OK);
  for (let i = 0; i < 2_000; i++) c[op](i); // warm up
  await c.flush();
  const times = new Float64Array(INLINE);
  for (let i = 0; i < INLINE; i++) {
    const t0 = process.hrtime.bigint();
    c[op](i);
    times[i] = Number(process.hrtime.bigint() - t0) / 1000;
    if (i % 100 === 99) await turn();
  }
  await c.flush();
  await c.stop();
  return { p50: pct(times, 50), p99: pct(times, 99) };
}

/** As fast as possible, yielding one turn every `every` calls; then flush. */
async function burst(make, n, every) {
  const before = await received();
  const c = make(URL_OK);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    c.llm(i);
    if (i % every === every - 1) await turn();
  }
  await c.flush();
  const ms = performance.now() - t0;
  await c.stop();
  const got = (await received()) - before;
  return { pct: (100 * got) / n, perSec: (got / ms) * 1000 };
}

/** 5k spans/s for STEADY_MS: CPU per 1k spans (export included: measured through the final flush), loop delay. */
async function steady(make, baseUrl, opts) {
  const c = make(baseUrl, opts);
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const h = monitorEventLoopDelay({ resolution: 1 });
  const cpu0 = process.cpuUsage();
  h.enable();
  let i = 0;
  const tick = setInterval(() => {
    for (let k = 0; k < 50; k++) c.llm(i++);
  }, 10);
  await sleep(STEADY_MS);
  clearInterval(tick);
  h.disable();
  gc();
  const heapMb = (process.memoryUsage().heapUsed - heap0) / 1048576;
  if (baseUrl === URL_OK) await c.flush();
  const cpu = process.cpuUsage(cpu0);
  await Promise.race([c.stop(), sleep(2_000)]);
  return { cpuPer1k: (cpu.user + cpu.system) / 1000 / (i / 1000), p99: h.percentile(99) / 1e6, heapMb };
}

/** CONCURRENT agent runs in flight at once (4 spans each, awaiting between steps). */
async function concurrent() {
  const before = await received();
  const c = sdk(URL_OK);
  await Promise.all(Array.from({ length: CONCURRENT }, () => c.run()));
  const r = await c.flush();
  await c.stop();
  return { pct: (100 * ((await received()) - before)) / (CONCURRENT * 3), ok: r.ok };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = { sdk: {}, raw: {} };
const ratios = {};
const record = (key, s, r) => {
  (results.sdk[key] ??= []).push(s);
  (results.raw[key] ??= []).push(r);
  (ratios[key] ??= []).push(s / r);
};

for (let rep = 0; rep < REPS; rep++) {
  const pair = async (fn) => {
    // alternate who goes first
    if (rep % 2) {
      const r = await fn(raw);
      return [await fn(sdk), r];
    }
    const s = await fn(sdk);
    return [s, await fn(raw)];
  };
  const [bs, br] = await pair((m) => burst(m, BURST, 100));
  record("burst_pct", bs.pct, br.pct);
  record("burst_per_s", bs.perSec, br.perSec);
  const [hs, hr] = await pair((m) => burst(m, HOT, 200));
  record("hot_pct", hs.pct, hr.pct);
  const [is, ir] = await pair((m) => inline(m, "llm"));
  record("trackAi_p50", is.p50, ir.p50);
  record("trackAi_p99", is.p99, ir.p99);
  const [ts, tr] = await pair((m) => inline(m, "trajectory"));
  record("trajectory_p50", ts.p50, tr.p50);
  record("trajectory_p99", ts.p99, tr.p99);
  const [ss, sr] = await pair((m) => steady(m, URL_OK));
  record("cpu_per_1k", ss.cpuPer1k, sr.cpuPer1k);
  record("loop_p99", ss.p99, sr.p99);
  const [gs, gr] = await pair((m) => steady(m, URL_OK, { gzip: true }));
  record("cpu_per_1k_gzip", gs.cpuPer1k, gr.cpuPer1k);
  const [ds, dr] = await pair((m) => steady(m, URL_DOWN));
  record("heap_down_mb", ds.heapMb, dr.heapMb);
  const cc = await concurrent();
  (results.sdk.concurrent_pct ??= []).push(cc.pct);
}

const rows = [
  [`burst: ${BURST} trackAi, a turn every 100 calls: delivered (%)`, "burst_pct", "≥ 99.9 %"],
  ["burst: delivered spans/s", "burst_per_s", "≥ 1.0×"],
  [`hot loop: ${HOT} trackAi, a turn every 200 calls: delivered (%)`, "hot_pct", "≥ 99.9 %"],
  ["trackAi inline p50 (µs)", "trackAi_p50", "≤ 1.3×"],
  ["trackAi inline p99 (µs)", "trackAi_p99", "—"],
  ["4-span trajectory inline p50 (µs)", "trajectory_p50", "≤ 1.3×"],
  ["4-span trajectory inline p99 (µs)", "trajectory_p99", "—"],
  ["CPU per 1k spans at 5k spans/s, export included (ms)", "cpu_per_1k", "≤ 1.0×"],
  ["same, both sides gzip (ms)", "cpu_per_1k_gzip", "≤ 1.0×"],
  ["event-loop delay p99 at 5k spans/s (ms)", "loop_p99", "≤ 1.0×"],
  [`heap growth, endpoint down, ${STEADY_MS / 1000} s at 5k spans/s (MB)`, "heap_down_mb", "≤ queue budget (128 MiB)"],
];
const fmt = (v) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));
const report = {};
console.log(`\nmedians of ${REPS} alternated repetitions${QUICK ? " (QUICK)" : ""}\n`);
console.log("| figure | @bentolabs/sdk | raw OpenTelemetry | ratio | target |");
console.log("|---|---:|---:|---:|---|");
for (const [label, key, target] of rows) {
  const s = median(results.sdk[key]);
  const r = median(results.raw[key]);
  report[key] = { sdk: s, raw: r, ratio: median(ratios[key]) };
  console.log(`| ${label} | ${fmt(s)} | ${fmt(r)} | ${report[key].ratio.toFixed(2)}× | ${target} |`);
}
const cc = median(results.sdk.concurrent_pct);
report.concurrent_pct = { sdk: cc };
console.log(`| ${CONCURRENT} concurrent agent runs (3 spans each): delivered (%) | ${fmt(cc)} | — | — | 100 % |`);
console.log(JSON.stringify(report));
receiver.disconnect();
process.exit(0);
