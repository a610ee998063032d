// Benchmark: the SDK against a raw OpenTelemetry baseline (BasicTracerProvider + BatchSpanProcessor
// + OTLPTraceExporter JSON), alternated in one process, medians reported as ratios.
// BENCH_QUICK=1 runs a tiny version (used by the test suite so this script cannot rot).
import { fork } from "node:child_process";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { setTimeout as sleep } from "node:timers/promises";
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import * as bento from "../dist/index.js";

const QUICK = process.env.BENCH_QUICK === "1";
const REPS = QUICK ? 1 : 5;
const CALLS = QUICK ? 2_000 : 20_000;
const STEADY_MS = QUICK ? 400 : 3_000;
const STOP_MS = QUICK ? 300 : 2_000;
process.env.BENTOLABS_LOG_LEVEL ??= "error"; // the receiver-down runs drop spans on purpose
const KEY = "bl_pk_bench_0000000000000000";
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc");

const receiver = fork(new URL("./receiver.mjs", import.meta.url), { stdio: ["ignore", "ignore", "inherit", "ipc"] });
const port = await new Promise((resolve) => receiver.once("message", (m) => resolve(m.port)));
const URL_OK = `http://127.0.0.1:${port}`;
const URL_DOWN = "http://127.0.0.1:9"; // discard port: nothing listens, connections are refused
const received = async () => (await (await fetch(`${URL_OK}/count`)).json()).spans;

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const input = "What is the capital of France? Answer in one word.";
const output = "Paris";

// ---- the two contenders: same operations, same attributes ----
function sdk(baseUrl) {
  bento.init({ apiKey: KEY, baseUrl, serviceName: "bench" });
  return {
    name: "sdk",
    llm: (i) => bento.trackAi({ event: "answer", model: "gpt-4o", provider: "openai", input, output, usage: { inputTokens: 31, outputTokens: 2 }, userId: "u1", convoId: "c1", properties: { route: "/chat", n: i } }),
    trajectory: () =>
      bento.begin({ event: "chat", userId: "u1", convoId: "c1", input }, (t) => {
        bento.toolSpan("lookup", { input: { q: input } }, () => "docs");
        bento.trackAi({ event: "answer", model: "gpt-4o", provider: "openai", input, output, usage: { inputTokens: 31, outputTokens: 2 } });
        bento.toolSpan("format", { input: output }, () => output);
        t.finish({ output });
      }),
    flush: () => bento.flush({ timeoutMs: 10_000 }),
    stop: () => bento.shutdown({ timeoutMs: STOP_MS }),
    dropped: () => Object.values(bento.stats().dropped).reduce((a, b) => a + b, 0),
  };
}

function raw(baseUrl) {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "bench" }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${baseUrl}/v1/traces`, headers: { Authorization: `Bearer ${KEY}` } }))],
  });
  const tracer = provider.getTracer("raw");
  // Exactly the 19 attributes the SDK's trackAi call above produces (portable attributes on).
  const llmAttrs = (i) => ({
    route: "/chat", n: i, "gen_ai.user.id": "u1", "user.id": "u1", "gen_ai.conversation.id": "c1", "session.id": "c1",
    "gen_ai.request.model": "gpt-4o", "llm.model_name": "gpt-4o", "gen_ai.system": "openai", "llm.provider": "openai",
    "input.value": input, "input.mime_type": "text/plain", "output.value": output, "output.mime_type": "text/plain",
    "gen_ai.usage.input_tokens": 31, "gen_ai.usage.output_tokens": 2, "llm.token_count.prompt": 31,
    "llm.token_count.completion": 2, "llm.token_count.total": 33,
  });
  const answerAttrs = () => ({
    "gen_ai.request.model": "gpt-4o", "llm.model_name": "gpt-4o", "gen_ai.system": "openai", "llm.provider": "openai",
    "input.value": input, "input.mime_type": "text/plain", "output.value": output, "output.mime_type": "text/plain",
    "gen_ai.usage.input_tokens": 31, "gen_ai.usage.output_tokens": 2, "llm.token_count.prompt": 31,
    "llm.token_count.completion": 2, "llm.token_count.total": 33,
  });
  return {
    name: "raw",
    llm: (i) => tracer.startSpan("answer", { attributes: llmAttrs(i) }).end(),
    // The same four spans with the same attributes as the SDK's trajectory above.
    trajectory: () =>
      tracer.startActiveSpan("chat", { attributes: { "input.value": input, "input.mime_type": "text/plain", "gen_ai.user.id": "u1", "user.id": "u1", "gen_ai.conversation.id": "c1", "session.id": "c1" } }, (root) => {
        tracer.startActiveSpan("lookup", { attributes: { "input.value": JSON.stringify({ q: input }), "input.mime_type": "application/json", "openinference.span.kind": "tool" } }, (s) => s.end());
        tracer.startSpan("answer", { attributes: answerAttrs() }).end();
        tracer.startActiveSpan("format", { attributes: { "input.value": output, "input.mime_type": "text/plain", "openinference.span.kind": "tool" } }, (s) => s.end());
        root.setAttributes({ "output.value": output, "output.mime_type": "text/plain" });
        root.end();
      }),
    flush: () => provider.forceFlush(),
    stop: () => provider.shutdown(),
    dropped: () => 0,
  };
}

// ---- measurements ----
async function callerCost(make, op, spansPerOp) {
  const c = make(URL_OK);
  const burst = Math.floor(1024 / spansPerOp); // stay below both queues so nothing is dropped
  for (let i = 0; i < burst; i++) c[op](i); // warm up
  await c.flush();
  let ns = 0n;
  for (let done = 0; done < CALLS; done += burst) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < burst; i++) c[op](i);
    ns += process.hrtime.bigint() - t0;
    await c.flush();
  }
  await c.stop();
  return Number(ns) / CALLS / 1000; // µs per op
}

async function throughput(make) {
  const before = await received();
  const c = make(URL_OK);
  const t0 = performance.now();
  for (let done = 0; done < CALLS; done += 1024) {
    for (let i = 0; i < 1024; i++) c.llm(i);
    await c.flush();
  }
  const ms = performance.now() - t0;
  const dropped = c.dropped();
  await c.stop();
  const got = (await received()) - before;
  const expected = Math.ceil(CALLS / 1024) * 1024;
  if (got !== expected || dropped) throw new Error(`${c.name}: delivered ${got}/${expected}, dropped ${dropped}`);
  return (expected / ms) * 1000; // spans per second
}

async function steady(make, baseUrl) {
  const c = make(baseUrl);
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  let i = 0;
  const tick = setInterval(() => { for (let k = 0; k < 50; k++) c.llm(i++); }, 10); // 5k spans/s
  await sleep(STEADY_MS);
  clearInterval(tick);
  h.disable();
  gc();
  const heapMb = (process.memoryUsage().heapUsed - heap0) / 1048576;
  await Promise.race([c.stop(), sleep(STOP_MS)]);
  return { p99: h.percentile(99) / 1e6, heapMb };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = { sdk: {}, raw: {} };
const push = (who, key, v) => (results[who][key] ??= []).push(v);

for (let rep = 0; rep < REPS; rep++) {
  for (const [who, make] of rep % 2 ? [["raw", raw], ["sdk", sdk]] : [["sdk", sdk], ["raw", raw]]) {
    push(who, "trackAi_us", await callerCost(make, "llm", 1));
    push(who, "trajectory_us", await callerCost(make, "trajectory", 4));
    push(who, "throughput", await throughput(make));
    const ok = await steady(make, URL_OK);
    push(who, "p99_ms", ok.p99);
    const down = await steady(make, URL_DOWN);
    push(who, "heap_down_mb", down.heapMb);
  }
}

const rows = [
  ["caller cost, trackAi (µs/span)", "trackAi_us", "≤ 1.3×"],
  ["caller cost, 4-span trajectory (µs)", "trajectory_us", "≤ 1.3×"],
  ["throughput to receiver, nothing dropped (spans/s)", "throughput", "—"],
  ["event-loop delay p99 at 5k spans/s (ms)", "p99_ms", "≤ 1.0×"],
  [`heap growth, receiver down, ${STEADY_MS / 1000} s at 5k spans/s (MB)`, "heap_down_mb", "≤ queue budget (16 MiB est.)"],
];
const fmt = (v) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));
const report = {};
console.log(`\nmedians of ${REPS} alternated repetitions, ${CALLS} calls each${QUICK ? " (QUICK)" : ""}\n`);
console.log("| figure | @bentolabs/sdk | raw OpenTelemetry | ratio | target |");
console.log("|---|---:|---:|---:|---|");
for (const [label, key, target] of rows) {
  const s = median(results.sdk[key]);
  const r = median(results.raw[key]);
  report[key] = { sdk: s, raw: r, ratio: s / r };
  console.log(`| ${label} | ${fmt(s)} | ${fmt(r)} | ${(s / r).toFixed(2)}× | ${target} |`);
}
console.log(JSON.stringify(report));
receiver.disconnect();
process.exit(0);
