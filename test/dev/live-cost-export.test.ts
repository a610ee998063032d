import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../../src/dev/index.js";
import { LiveHub } from "../../src/dev/live.js";
import { BASE_MS, freshDataDir, getJson, otlpBody, otlpSpan, postTraces, traceId } from "./helpers.js";

/** Read server-sent events from `url` until `until` returns true for one, or `ms` pass. */
async function readEvents(
  url: string,
  headers: Record<string, string>,
  opts: { ms: number; until: (data: any) => boolean; onOpen?: () => unknown },
) {
  const ctrl = new AbortController();
  const res = await fetch(url, { headers, signal: ctrl.signal });
  const timer = setTimeout(() => ctrl.abort(), opts.ms);
  const reader = res.body!.getReader();
  let text = "";
  const seen: any[] = [];
  await opts.onOpen?.();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString("utf8");
      let cut: number;
      while ((cut = text.indexOf("\n\n")) >= 0) {
        const block = text.slice(0, cut);
        text = text.slice(cut + 2);
        const data = block.split("\n").find((l) => l.startsWith("data: "));
        if (data) seen.push(JSON.parse(data.slice(6)));
      }
      if (seen.some(opts.until)) break;
    }
  } catch (err) {
    if ((err as Error).name !== "AbortError") throw err;
  } finally {
    clearTimeout(timer);
    ctrl.abort();
  }
  return { status: res.status, contentType: res.headers.get("content-type"), seen, at: Date.now() };
}

function llmRun(i: number, user: string, session: string) {
  const start = BASE_MS + i * 60_000;
  return [
    otlpSpan({
      trace: i,
      span: i * 10,
      name: `turn-${i}`,
      startMs: start,
      durationMs: 1000 * i,
      attrs: { "gen_ai.user.id": user, "gen_ai.conversation.id": session },
    }),
    otlpSpan({
      trace: i,
      span: i * 10 + 1,
      parent: i * 10,
      name: "answer",
      startMs: start + 10,
      durationMs: 500,
      attrs: {
        "gen_ai.request.model": "gpt-4o-2024-08-06",
        "gen_ai.system": "openai",
        "gen_ai.usage.input_tokens": 1_000_000,
        "gen_ai.usage.output_tokens": 100_000,
        "llm.token_count.prompt_details.cache_read": 400_000,
        "input.value": JSON.stringify([{ role: "user", content: "hi" }]),
        "output.value": "hello",
      },
    }),
    otlpSpan({
      trace: i,
      span: i * 10 + 2,
      parent: i * 10,
      name: "local-model",
      startMs: start + 600,
      durationMs: 100,
      attrs: {
        "gen_ai.request.model": "my-llama",
        "gen_ai.usage.input_tokens": 10,
        "gen_ai.usage.output_tokens": 5,
      },
    }),
  ];
}

let server: DevServer;
beforeAll(async () => {
  server = await startDevServer({ dataDir: await freshDataDir() });
}, 60_000);
afterAll(async () => {
  await server?.close();
});

describe("live events", () => {
  it("announce a new trace within a second of its ingest", async () => {
    let committed = 0;
    const auth = { authorization: `Bearer ${server.apiKey}` };
    const got = await readEvents(`${server.url}/workspaces/${server.workspaceId}/live`, auth, {
      ms: 3000,
      until: (d) => d.trace_ids.includes(traceId(90)),
      onOpen: async () => {
        expect((await postTraces(server, otlpBody([otlpSpan({ trace: 90, span: 900, name: "live-one" })]))).status).toBe(200);
        committed = Date.now();
      },
    });
    expect(got.status).toBe(200);
    expect(got.contentType).toContain("text/event-stream");
    expect(got.seen.find((d) => d.trace_ids.includes(traceId(90)))).toEqual({ trace_ids: [traceId(90)], overflow: false });
    // measured from the ingest's answer (the spans are committed then) to the event
    expect(got.at - committed).toBeLessThan(1000);
  });

  it("need the dev key", async () => {
    const res = await fetch(`${server.url}/workspaces/${server.workspaceId}/live`);
    expect(res.status).toBe(401);
  });

  it("are bounded in clients and free a slot when a client disconnects", async () => {
    const hub = new LiveHub({ maxClients: 1, flushMs: 20 });
    const http: Server = createServer((_req, res) => {
      try {
        hub.attach(res);
      } catch (err) {
        res.writeHead(503).end((err as Error).message);
      }
    });
    await new Promise<void>((ok) => http.listen(0, "127.0.0.1", ok));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;
    try {
      const first = readEvents(
        url,
        {},
        {
          ms: 2000,
          until: (d) => d.trace_ids.includes("t1"),
          onOpen: async () => {
            await expect.poll(() => hub.clientCount).toBe(1);
            const second = await fetch(url);
            expect(second.status).toBe(503);
            expect(await second.text()).toMatch(/At most 1 live viewers/);
            hub.announce([{ trace_id: "t1" }, { trace_id: "t1" }]);
          },
        },
      );
      expect((await first).seen).toEqual([{ trace_ids: ["t1"], overflow: false }]);
      await expect.poll(() => hub.clientCount).toBe(0);
      const again = await readEvents(
        url,
        {},
        {
          ms: 2000,
          until: (d) => d.overflow,
          onOpen: async () => {
            await expect.poll(() => hub.clientCount).toBe(1);
            hub.announce(Array.from({ length: 600 }, (_, i) => ({ trace_id: `x${i}` })));
          },
        },
      );
      expect(again.seen).toEqual([{ trace_ids: [], overflow: true }]);
    } finally {
      hub.close();
      http.closeAllConnections();
      await new Promise((ok) => http.close(ok));
    }
  });
});

describe("cost in the read API", () => {
  beforeAll(async () => {
    expect(
      (await postTraces(server, otlpBody([...llmRun(1, "ann", "s-1"), ...llmRun(2, "ann", "s-1"), ...llmRun(3, "bob", "s-2")]))).status,
    ).toBe(200);
  });
  // per run: 600k uncached × $2.50 + 400k cached × $1.25 + 100k out × $10 = $3.00; my-llama unpriced
  it("prices each LLM span and rolls cost up per run", async () => {
    const { body: tree } = await getJson(server, `/traces/${traceId(1)}/tree`);
    expect(tree.trace.cost_usd).toBeCloseTo(3);
    expect(tree.trace.unpriced_spans).toBe(1);
    const [answer, local] = tree.roots[0].children;
    expect(answer.cached_input_tokens).toBe(400_000);
    expect(answer.cost).toMatchObject({ priced_as: "openai/gpt-4o", cached_input_usd: 0.5, input_usd: 1.5, output_usd: 1 });
    expect(local.cost_usd).toBeNull();
    expect(tree.roots[0].kind).toBe("trajectory");
    expect(answer.messages).toEqual({ input: [{ role: "user", content: "hi" }], output: [{ role: "assistant", content: "hello" }] });
    const { body: list } = await getJson(server, `/workspaces/${server.workspaceId}/traces?user_id=ann`);
    expect(list.items.map((t: any) => t.cost_usd)).toEqual([3, 3]);
  });

  it("rolls cost, tokens and p50/p95 duration up per session and user", async () => {
    const { body: sessions } = await getJson(server, `/workspaces/${server.workspaceId}/sessions`);
    const s1 = sessions.items.find((s: any) => s.session_id === "s-1");
    expect(s1).toMatchObject({ turns: 2, cost_usd: 6, unpriced_spans: 2, p50_duration_ms: 1500, p95_duration_ms: 1950 });
    const { body: ann } = await getJson(server, `/workspaces/${server.workspaceId}/users/ann`);
    expect(ann).toMatchObject({ run_count: 2, cost_usd: 6 });
    expect(ann.runs.map((r: any) => r.cost_usd)).toEqual([3, 3]);
  });
});

describe("export", () => {
  it("round-trips a trace through OTLP JSON into another server unchanged", async () => {
    const spans = (await getJson(server, `/traces/${traceId(1)}/spans`)).body.items;
    const res = await fetch(`${server.url}/traces/${traceId(1)}/export?format=otlp`, {
      headers: { authorization: `Bearer ${server.apiKey}` },
    });
    expect(res.headers.get("content-disposition")).toContain(`trace-${traceId(1)}.otlp.json`);
    const other = await startDevServer({ dataDir: await freshDataDir() });
    try {
      expect(await postTraces(other, await res.json())).toEqual({ status: 200, body: {} });
      const again = (await getJson(other, `/traces/${traceId(1)}/spans`)).body.items;
      expect(again).toEqual(spans);
    } finally {
      await other.close();
    }
  }, 30_000);

  it("writes JSON lines and a markdown outline for an LLM", async () => {
    const get = (format: string) =>
      fetch(`${server.url}/traces/${traceId(1)}/export?format=${format}`, { headers: { authorization: `Bearer ${server.apiKey}` } }).then(
        (r) => r.text(),
      );
    const lines = (await get("jsonl"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((s) => s.name)).toEqual(["turn-1", "answer", "local-model"]);
    const md = await get("markdown");
    expect(md).toContain('# Run "turn-1" (ok)');
    expect(md).toContain("- **turn-1** [trajectory] 1.00 s");
    expect(md).toContain("  - **answer** [llm] 500 ms · gpt-4o-2024-08-06 · 1000000→100000 tokens · $3.0000");
    expect(md).toContain('    - input: [{"role":"user","content":"hi"}]');
    expect((await getJson(server, `/traces/${traceId(1)}/export?format=pdf`)).body.message).toMatch(
      /format must be one of otlp, jsonl, markdown/,
    );
  });
});
