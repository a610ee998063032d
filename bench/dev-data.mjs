// Synthetic OTLP/HTTP JSON load for `npm run bench:dev`: agent-like traces of PER_TRACE spans
// (~1.5 KB each: model, tokens, a few hundred characters of input and output), cut into batches of
// BATCH spans as an SDK's batch processor would (a trace's spans may straddle two batches).
const hex = (n, w) => n.toString(16).padStart(w, "0");
const WORDS = "refund order shipping invoice customer agent tool search lookup answer policy account".split(" ");
const text = (seed, len) => {
  let s = "";
  for (let i = 0; s.length < len; i++) s += `${WORDS[(seed * 7 + i * 13) % WORDS.length]} `;
  return s.slice(0, len);
};

/** The spans of trace `t` (of run `run`, so separate runs never collide) as OTLP JSON spans. */
export function traceSpans({ run, t, perTrace, baseNs = 1767225600000000000n }) {
  const traceId = hex(run, 8) + hex(t, 24);
  const rootId = hex(run & 0xff, 2) + hex(t * 4096 + 1, 14);
  const out = [];
  for (let s = 0; s < perTrace; s++) {
    const start = baseNs + BigInt(t) * 1_000_000_000n + BigInt(s) * 1_000_000n;
    const attrs = [
      { key: "openinference.span.kind", value: { stringValue: s === 0 ? "AGENT" : s % 3 === 0 ? "TOOL" : "LLM" } },
      { key: "gen_ai.request.model", value: { stringValue: s % 5 === 0 ? "gpt-4o" : "gpt-4o-mini" } },
      { key: "gen_ai.system", value: { stringValue: "openai" } },
      { key: "gen_ai.usage.input_tokens", value: { intValue: String(100 + s) } },
      { key: "gen_ai.usage.output_tokens", value: { intValue: String(20 + s) } },
      { key: "input.value", value: { stringValue: `${t}:${s} ${text(t + s, 560)}` } },
      { key: "output.value", value: { stringValue: text(t * 3 + s, 420) } },
      { key: "llm.temperature", value: { doubleValue: 0.2 } },
    ];
    if (s === 0) {
      attrs.push({ key: "gen_ai.user.id", value: { stringValue: `user-${t % 500}` } });
      attrs.push({ key: "gen_ai.conversation.id", value: { stringValue: `session-${run}-${Math.floor(t / 4)}` } });
    }
    out.push({
      traceId,
      spanId: s === 0 ? rootId : hex(run & 0xff, 2) + hex(t * 4096 + s + 1, 14),
      ...(s > 0 ? { parentSpanId: rootId } : {}),
      name: s === 0 ? "support-agent" : s % 3 === 0 ? `tool-${s % 7}` : "chat",
      kind: 1,
      startTimeUnixNano: start.toString(),
      endTimeUnixNano: (start + 900_000n).toString(),
      attributes: attrs,
      status: { code: s === perTrace - 1 && t % 10 === 0 ? 2 : 1 },
    });
  }
  return out;
}

/** Serialized ExportTraceServiceRequest bodies of `batch` spans each, covering `traces` traces. */
export function otlpBodies({ run, traces, perTrace, batch, firstTrace = 0 }) {
  const bodies = [];
  let pending = [];
  const flush = () => {
    bodies.push({
      count: pending.length,
      body: JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: "service.name", value: { stringValue: "bench-agent" } }] },
            scopeSpans: [{ scope: { name: "@bentolabs/sdk" }, spans: pending }],
          },
        ],
      }),
    });
    pending = [];
  };
  for (let t = firstTrace; t < firstTrace + traces; t++) {
    for (const span of traceSpans({ run, t, perTrace })) {
      pending.push(span);
      if (pending.length === batch) flush();
    }
  }
  if (pending.length) flush();
  return bodies;
}

/** POST every body to `url` with `inFlight` requests outstanding; resolves to spans/s. */
export async function postAll({ url, apiKey, bodies, inFlight = 2 }) {
  let next = 0;
  let spans = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < bodies.length) {
      const b = bodies[next++];
      let res;
      for (let attempt = 0; ; attempt++) {
        try {
          res = await fetch(`${url}/v1/traces`, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
            body: b.body,
          });
          break;
        } catch (err) {
          // a kept-alive connection closed under us: resend, as an exporter would (spans are upserted)
          if (attempt >= 3) throw err;
        }
      }
      const answer = await res.text();
      if (res.status !== 200 || answer !== "{}") throw new Error(`ingest answered ${res.status} ${answer.slice(0, 200)}`);
      spans += b.count;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { spans, seconds: (performance.now() - started) / 1000 };
}
