import { AsyncLocalStorage } from "node:async_hooks";
import path from "node:path";
import { EdgeRuntime } from "edge-runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/child.js";
import { Receiver, TEST_KEY } from "../helpers/receiver.js";
import { bundleExample } from "./bundle.js";

// The example route handler runs in Vercel's edge-runtime (the package behind `next dev`'s Edge
// runtime) against the built dist/edge, selected by the `edge-light` export condition.
const receiver = new Receiver();
let code = "";
let inputs: string[] = [];
beforeAll(async () => {
  await receiver.start();
  ({ code, inputs } = await bundleExample(path.join(ROOT, "test/serverless/vercel-host.mjs"), "edge-light", "iife"));
});
afterAll(() => receiver.stop());

function edge(env: Record<string, string>, extra: Record<string, unknown> = {}): EdgeRuntime {
  return new EdgeRuntime({
    initialCode: code,
    // Vercel Edge exposes AsyncLocalStorage as a global and process.env with the project's variables.
    extend: (context) => Object.assign(context, { AsyncLocalStorage, process: { env } }, extra),
  });
}

const post = (rt: EdgeRuntime, question: string, convoId: string) =>
  rt.dispatchFetch("http://app/api/answer", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ question, convoId }),
  });

describe("Vercel Edge (edge-runtime)", () => {
  it("selects the edge build through the edge-light condition", () => {
    expect(inputs.some((f) => f.endsWith("dist/edge/index.js"))).toBe(true);
    expect(inputs.some((f) => /dist\/index\.(c)?js$/.test(f))).toBe(false);
  });

  it("hands delivery to waitUntil: every span is stored exactly once when the requests' waitUntil settles", async () => {
    receiver.reset();
    const rt = edge({ BENTOLABS_API_KEY: TEST_KEY, BENTOLABS_BASE_URL: receiver.url });
    const convos = ["v1", "v2", "v3", "v4"];
    const responses = await Promise.all(convos.map((c) => post(rt, `question ${c}`, c)));
    for (const r of responses) expect(((await r.json()) as { answer: string }).answer).toMatch(/^Answer based on/);
    // No polling: once the platform's waitUntil promises settle, the spans are already stored.
    await Promise.all(responses.map((r) => r.waitUntil()));
    expect(receiver.spans).toHaveLength(12);
    expect(new Set(receiver.spans.map((s) => s.spanId)).size).toBe(12);
    for (const root of receiver.spans.filter((s) => s.name === "answer_question")) {
      const children = receiver.spans.filter((s) => s.parentSpanId === root.spanId);
      expect(children.map((s) => s.name).sort()).toEqual(["llm_call", "search_docs"]);
      expect(root.attributes["input.value"]).toBe(`question ${root.attributes["gen_ai.conversation.id"]}`);
    }
    const stats = (await (await rt.dispatchFetch("http://app/api/answer")).json()) as Record<string, unknown>;
    expect(stats).toMatchObject({ emitted: 12, exported: 12, queued: 0, dropped: {} });
  });

  it("hands nothing to waitUntil when opted out with BENTOLABS_VERCEL_WAIT_UNTIL=false", async () => {
    receiver.reset();
    const rt = edge({ BENTOLABS_API_KEY: TEST_KEY, BENTOLABS_BASE_URL: receiver.url, BENTOLABS_VERCEL_WAIT_UNTIL: "false" });
    const res = await post(rt, "q", "c");
    expect(res.status).toBe(200);
    await res.waitUntil();
    // Nothing was handed over (the pipeline's own 1 s timer has not fired yet): the spans wait.
    expect(receiver.spans).toHaveLength(0);
    const stats = (await (await rt.dispatchFetch("http://app/api/answer")).json()) as Record<string, unknown>;
    expect(stats).toMatchObject({ emitted: 3, exported: 0, queued: 3 });
  });
});
