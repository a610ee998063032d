import { AsyncLocalStorage } from "node:async_hooks";
import { afterEach, describe, expect, it } from "vitest";
import * as bento from "../../src/index.js";
import { TEST_KEY } from "../helpers/receiver.js";
import { useReceiver } from "../helpers/setup.js";

// Vercel's Node.js runtime (serverless functions, Next.js route handlers and server actions)
// publishes each request's context, waitUntil included, under Symbol.for("@vercel/request-context");
// @vercel/functions' waitUntil() reads the same. This test plays the platform's part.
const { receiver } = useReceiver();
const SYMBOL = Symbol.for("@vercel/request-context");
const requests = new AsyncLocalStorage<{ waitUntil: (p: Promise<unknown>) => void }>();

afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[SYMBOL];
});

/** Serve one request the way Vercel does: run the handler, send its result, keep waitUntil promises. */
async function invoke<T>(handler: () => Promise<T>): Promise<{ result: T; waitedFor: Array<Promise<unknown>> }> {
  (globalThis as Record<symbol, unknown>)[SYMBOL] = { get: () => requests.getStore() };
  const waitedFor: Array<Promise<unknown>> = [];
  const result = await requests.run({ waitUntil: (p) => waitedFor.push(p) }, handler);
  return { result, waitedFor };
}

const search = bento.tool(async (q: string) => `docs for ${q}`, { name: "search" });
async function routeHandler(question: string) {
  return bento.begin({ event: "answer" }, async (t) => {
    const docs = await search(question);
    bento.trackAi({ event: "llm", model: "gpt-4o-mini", input: docs, output: "ok" });
    t.finish({ output: "ok" });
    return "ok";
  });
}

describe("Vercel waitUntil (Node.js runtime)", () => {
  it("hands each finished trajectory's delivery to the request's waitUntil", async () => {
    const { result, waitedFor } = await invoke(() => routeHandler("refunds"));
    expect(result).toBe("ok");
    expect(waitedFor.length).toBeGreaterThan(0);
    await Promise.all(waitedFor);
    // Stored by the time the platform's waitUntil settles: no flush() in the handler.
    expect(receiver.spans.map((s) => s.name).sort()).toEqual(["answer", "llm", "search"]);
    expect(bento.stats()).toMatchObject({ emitted: 3, exported: 3, queued: 0 });
  });

  it("hands nothing over with init({ vercelWaitUntil: false })", async () => {
    bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url, vercelWaitUntil: false });
    const { waitedFor } = await invoke(() => routeHandler("x"));
    expect(waitedFor).toHaveLength(0);
    expect(bento.stats()).toMatchObject({ emitted: 3, exported: 0, queued: 3 });
  });

  it("hands nothing over outside a Vercel request", async () => {
    await routeHandler("y");
    expect(bento.stats()).toMatchObject({ emitted: 3, exported: 0 });
  });
});
