// Privacy benchmark (issue 19): two small standalone scenarios against the built dist.
//  1. Redaction: process CPU per exported span (caller + export worker, the receiver runs in its
//     own process) with all detectors on, and with captureContent: false, as ratios to redaction off.
//  2. trackAi with tracing off (`enabled: false`): p50 ns per call over batches.
// `node bench/privacy.mjs` prints a table and a JSON line; `runPrivacyBench()` returns the report
// (bench/run.mjs may call it). BENCH_QUICK=1 runs a tiny version.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import * as bento from "../dist/index.js";

const KEY = "bl_pk_bench_0000000000000000";
const PROMPT =
  "You are a support agent. Customer jane.doe@acme-corp.com (phone +1 415 555 2671) writes: my card " +
  "ending 1111 was charged twice for order 88231 on 2024-05-02, please refund. Context: " +
  "the previous ticket mentioned a billing error, shipping to 221B Baker Street. ".repeat(6);
const ANSWER = "I am sorry about the double charge. I have opened refund 4471 for you; it shows within 5 days. ".repeat(3);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function startReceiver() {
  const child = fork(fileURLToPath(new URL("./receiver.mjs", import.meta.url)), { stdio: ["ignore", "ignore", "inherit", "ipc"] });
  const port = await new Promise((resolve) => child.once("message", (m) => resolve(m.port)));
  return { url: `http://127.0.0.1:${port}`, stop: () => child.disconnect() };
}

/** CPU µs per span for `spans` trackAi calls exported to the receiver, with `options`. */
async function cpuPerSpan(url, options, spans) {
  bento.init({ apiKey: KEY, baseUrl: url, serviceName: "bench", ...options });
  const start = process.cpuUsage();
  for (let done = 0; done < spans; ) {
    // Bursts the queue can hold, so nothing is dropped and every span is encoded and sent.
    for (let i = 0; i < 500 && done < spans; i++, done++) {
      bento.trackAi({ event: "answer", model: "gpt-4o", provider: "openai", userId: "user_42", input: PROMPT, output: ANSWER, usage: { inputTokens: 310, outputTokens: 60 }, properties: { route: "/support", n: done } });
    }
    await bento.flush({ timeoutMs: 30_000 });
  }
  const cpu = process.cpuUsage(start);
  const st = bento.stats();
  await bento.shutdown();
  if (st.exported !== spans) throw new Error(`expected ${spans} spans exported, got ${JSON.stringify(st)}`);
  return (cpu.user + cpu.system) / spans;
}

/** p50 ns per `trackAi` call with tracing off. */
function disabledTrackAiNs(batches, perBatch) {
  bento.init({ enabled: false });
  const opts = { event: "answer", model: "gpt-4o", provider: "openai", input: PROMPT, output: ANSWER };
  for (let i = 0; i < perBatch * 20; i++) bento.trackAi(opts); // warm up the JIT
  const samples = [];
  for (let b = 0; b < batches; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < perBatch; i++) bento.trackAi(opts);
    samples.push(Number(process.hrtime.bigint() - t0) / perBatch);
  }
  return median(samples);
}

export async function runPrivacyBench({ quick = process.env.BENCH_QUICK === "1" } = {}) {
  const reps = quick ? 1 : 5;
  const spans = quick ? 500 : 4_000;
  const receiver = await startReceiver();
  const modes = {
    off: {},
    all_detectors: { redaction: { detectors: "all" } },
    all_detectors_hash: { redaction: { detectors: "all", mode: "hash", hashKey: "bench-hash-key-0123456789" } },
    metadata_only: { captureContent: false },
  };
  const runs = Object.fromEntries(Object.keys(modes).map((m) => [m, []]));
  try {
    await cpuPerSpan(receiver.url, {}, Math.min(spans, 500)); // warm-up, not counted
    for (let r = 0; r < reps; r++) for (const [name, options] of Object.entries(modes)) runs[name].push(await cpuPerSpan(receiver.url, options, spans));
  } finally {
    receiver.stop();
  }
  const us = Object.fromEntries(Object.entries(runs).map(([m, xs]) => [m, median(xs)]));
  const disabled_trackAi_ns_p50 = disabledTrackAiNs(quick ? 50 : 300, 1_000);
  await bento.shutdown();
  return {
    redaction_cpu_us_per_span: us,
    redaction_ratio_all_detectors: us.all_detectors / us.off,
    redaction_ratio_all_detectors_hash: us.all_detectors_hash / us.off,
    redaction_ratio_metadata_only: us.metadata_only / us.off,
    disabled_trackAi_ns_p50,
    reps,
    spans,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.env.BENTOLABS_LOG_LEVEL ??= "error";
  const r = await runPrivacyBench();
  const u = r.redaction_cpu_us_per_span;
  console.log(`\nprivacy: medians of ${r.reps} repetitions, ${r.spans} spans each (~1 KB prompt with an email, a phone number, a date)\n`);
  console.log("| figure | value | ratio to off | target |");
  console.log("|---|---:|---:|---|");
  console.log(`| CPU per span, redaction off (µs) | ${u.off.toFixed(1)} | 1.00× | |`);
  console.log(`| CPU per span, all detectors (µs) | ${u.all_detectors.toFixed(1)} | ${r.redaction_ratio_all_detectors.toFixed(2)}× | reported |`);
  console.log(`| CPU per span, all detectors, hash mode (µs) | ${u.all_detectors_hash.toFixed(1)} | ${r.redaction_ratio_all_detectors_hash.toFixed(2)}× | reported |`);
  console.log(`| CPU per span, captureContent: false (µs) | ${u.metadata_only.toFixed(1)} | ${r.redaction_ratio_metadata_only.toFixed(2)}× | reported |`);
  console.log(`| trackAi with enabled: false, p50 (ns) | ${r.disabled_trackAi_ns_p50.toFixed(1)} | | ≤ 50 ns |`);
  console.log(JSON.stringify(r));
}
