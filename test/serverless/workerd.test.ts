import path from "node:path";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/child.js";
import { type ReceivedSpan, Receiver, TEST_KEY } from "../helpers/receiver.js";
import { bundleExample } from "./bundle.js";

// The example Worker runs on Cloudflare's real runtime (workerd, from the miniflare npm package)
// against the built dist/edge, selected by the `workerd` export condition.
const receiver = new Receiver();
let script = "";
let inputs: string[] = [];
beforeAll(async () => {
  await receiver.start();
  ({ code: script, inputs } = await bundleExample(path.join(ROOT, "examples/serverless-cloudflare/worker.mjs"), "workerd"));
});
afterAll(() => receiver.stop());

async function worker(flags: string[], code = script): Promise<Miniflare> {
  const mf = new Miniflare({
    modules: true,
    script: code,
    compatibilityDate: "2025-01-01",
    compatibilityFlags: flags,
    bindings: { BENTOLABS_API_KEY: TEST_KEY, BENTOLABS_BASE_URL: receiver.url },
  });
  await mf.ready;
  return mf;
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
}

function trajectories(spans: ReceivedSpan[]) {
  return spans.filter((s) => s.name === "answer_question");
}

describe("Cloudflare Workers (workerd via miniflare)", () => {
  it("selects the edge build through the workerd condition", () => {
    expect(inputs.some((f) => f.endsWith("dist/edge/index.js"))).toBe(true);
    expect(inputs.some((f) => /dist\/index\.(c)?js$/.test(f))).toBe(false);
  });

  it("delivers every span exactly once after the responses, nested per request, with nodejs_compat", async () => {
    receiver.reset();
    const mf = await worker(["nodejs_compat"]);
    try {
      const convos = ["c1", "c2", "c3", "c4", "c5"];
      const responses = await Promise.all(convos.map((c) => mf.dispatchFetch(`http://worker/?q=question-${c}&convo=${c}`)));
      for (const r of responses) expect(await r.text()).toMatch(/^Answer based on/);
      // The handler never calls flush(): the spans travel through ctx.waitUntil after the response.
      await until(() => receiver.spans.length >= 15);
      await new Promise((r) => setTimeout(r, 300)); // a duplicate would arrive by now
      expect(receiver.spans).toHaveLength(15);
      expect(new Set(receiver.spans.map((s) => s.spanId)).size).toBe(15);
      for (const root of trajectories(receiver.spans)) {
        const children = receiver.spans.filter((s) => s.parentSpanId === root.spanId);
        expect(children.map((s) => s.name).sort()).toEqual(["llm_call", "search_docs"]);
        expect(children.every((s) => s.traceId === root.traceId)).toBe(true);
        expect(root.attributes["gen_ai.conversation.id"]).toBe(String(root.attributes["input.value"]).replace("question-", ""));
      }
      expect(receiver.requests.every((r) => r.headers.authorization === `Bearer ${TEST_KEY}`)).toBe(true);
      const stats = (await (await mf.dispatchFetch("http://worker/stats")).json()) as { emitted: number; exported: number; queued: number };
      expect(stats).toMatchObject({ emitted: 15, exported: 15, queued: 0 });
    } finally {
      await mf.dispose();
    }
  });

  it("still delivers every span exactly once without AsyncLocalStorage (no compatibility flags)", async () => {
    receiver.reset();
    const mf = await worker([]);
    try {
      const responses = await Promise.all(["a", "b"].map((c) => mf.dispatchFetch(`http://worker/?q=${c}`)));
      for (const r of responses) expect(r.status).toBe(200);
      await until(() => receiver.spans.length >= 6);
      await new Promise((r) => setTimeout(r, 300));
      expect(receiver.spans).toHaveLength(6);
      expect(new Set(receiver.spans.map((s) => s.spanId)).size).toBe(6);
      // The documented fallback: nesting across `await` is lost, never attached to another request.
      const roots = new Set(trajectories(receiver.spans).map((s) => s.spanId));
      for (const s of receiver.spans) if (s.parentSpanId) expect(roots.has(s.parentSpanId)).toBe(true);
      const stats = (await (await mf.dispatchFetch("http://worker/stats")).json()) as { emitted: number; exported: number; queued: number };
      expect(stats).toMatchObject({ emitted: 6, exported: 6, queued: 0 });
    } finally {
      await mf.dispose();
    }
  });

  it("gzips export bodies with the runtime's CompressionStream", async () => {
    receiver.reset();
    const { code } = await bundleExample(path.join(ROOT, "test/serverless/fixtures/gzip-worker.mjs"), "workerd");
    const mf = await worker(["nodejs_compat"], code);
    try {
      expect(await (await mf.dispatchFetch("http://worker/")).text()).toBe("ok");
      await until(() => receiver.spans.length >= 2);
      expect(receiver.requests.every((r) => r.headers["content-encoding"] === "gzip")).toBe(true);
      expect(String(receiver.span("big_trajectory").attributes["input.value"])).toHaveLength(16_000);
      expect(receiver.span("llm_call").parentSpanId).toBe(receiver.span("big_trajectory").spanId);
    } finally {
      await mf.dispose();
    }
  });
});
