import { describe, expect, it } from "vitest";
import * as bento from "../../src/index.js";
import { runNode } from "../helpers/child.js";
import { TEST_KEY } from "../helpers/receiver.js";
import { useReceiver } from "../helpers/setup.js";

const { receiver } = useReceiver();

/** A Lambda-shaped context whose deadline is `ms` from now. */
function lambdaContext(ms: number, functionName = "answer-question") {
  const deadline = Date.now() + ms;
  return { functionName, awsRequestId: "req-1", getRemainingTimeInMillis: () => deadline - Date.now() };
}

const lookup = bento.tool(async (q: string) => `facts about ${q}`, { name: "lookup" });
const llm = (prompt: string) => bento.trackAi({ event: "llm", model: "gpt-4o-mini", provider: "openai", input: prompt, output: "ok" });

describe("wrapHandler", () => {
  it("delivers the trajectory, tool and LLM spans before an early return settles", async () => {
    const handler = bento.wrapHandler(async (event: { cached: boolean }) => {
      const facts = await lookup("cats");
      if (event.cached) return { statusCode: 200, body: "from cache" };
      llm(facts);
      return { statusCode: 200, body: "fresh" };
    });
    const result = await handler({ cached: true }, lambdaContext(10_000));
    // No flush() after the handler: the wrapper delivered before its promise settled.
    expect(result).toEqual({ statusCode: 200, body: "from cache" });
    const root = receiver.span("answer-question");
    expect(root.parentSpanId).toBeUndefined();
    expect(receiver.span("lookup").parentSpanId).toBe(root.spanId);
    expect(receiver.spans).toHaveLength(2);
    expect(bento.stats()).toMatchObject({ emitted: 2, exported: 2, queued: 0 });
  });

  it("delivers the spans of the other return path too", async () => {
    const handler = bento.wrapHandler(async (event: { cached: boolean }) => {
      const facts = await lookup("dogs");
      if (event.cached) return "cache";
      llm(facts);
      return "fresh";
    });
    expect(await handler({ cached: false }, lambdaContext(10_000))).toBe("fresh");
    const root = receiver.span("answer-question");
    expect(receiver.span("llm").parentSpanId).toBe(root.spanId);
    expect(receiver.spans.map((s) => s.name).sort()).toEqual(["answer-question", "llm", "lookup"]);
  });

  it("records the error, delivers the spans and rethrows the same error object", async () => {
    const boom = new Error("upstream failed");
    const handler = bento.wrapHandler(async () => {
      await lookup("x");
      throw boom;
    });
    await expect(handler({}, lambdaContext(10_000))).rejects.toBe(boom);
    const root = receiver.span("answer-question");
    expect(root.status.code).toBe(2);
    expect(root.status.message).toContain("upstream failed");
    expect(receiver.span("lookup").parentSpanId).toBe(root.spanId);
  });

  it("ends and delivers the trajectory before the function's deadline when the handler runs out of time", async () => {
    let release!: (v: string) => void;
    const handler = bento.wrapHandler(
      async () => {
        await lookup("slow");
        llm("slow");
        return new Promise<string>((resolve) => (release = resolve));
      },
      { flushTimeoutMs: 400, reserveMs: 200 },
    );
    const started = Date.now();
    const settled = handler({}, lambdaContext(1500)).then((v) => ({ v, at: Date.now() - started }));
    // The warning fires at 1500 - 400 - 200 = 900 ms; the spans must be stored well before 1500 ms.
    while (receiver.spans.length < 3 && Date.now() - started < 1400) await new Promise((r) => setTimeout(r, 20));
    expect(Date.now() - started).toBeLessThan(1400);
    const root = receiver.span("answer-question");
    expect(root.status).toMatchObject({ code: 2 });
    expect(root.status.message).toContain("about to time out");
    expect(receiver.span("lookup").parentSpanId).toBe(root.spanId);
    expect(receiver.span("llm").parentSpanId).toBe(root.spanId);
    // The handler itself is not cut short: its result is still the app's.
    release("late answer");
    expect((await settled).v).toBe("late answer");
    expect(receiver.spans).toHaveLength(3);
  });

  it("bounds the final flush by the invocation's remaining time", async () => {
    receiver.status = 503; // every export attempt is retried: delivery can never finish
    try {
      const handler = bento.wrapHandler(async () => llm("q"), { flushTimeoutMs: 5000, reserveMs: 300 });
      const started = Date.now();
      await handler({}, lambdaContext(900));
      // The flush stopped 300 ms before the deadline instead of using its 5 s bound.
      expect(Date.now() - started).toBeLessThan(900);
      expect(bento.stats().exported).toBe(0);
    } finally {
      receiver.status = 200;
    }
  });

  it("runs without a trajectory and without a Lambda context", async () => {
    const handler = bento.wrapHandler(async (e: string) => (llm(e), e.toUpperCase()), { trajectory: false });
    expect(await handler("hi", undefined)).toBe("HI");
    expect(receiver.spans.map((s) => s.name)).toEqual(["llm"]);
  });

  it("rejects a non-function with a clear message", () => {
    expect(() => bento.wrapHandler("nope" as never)).toThrow(/expects your Lambda handler function/);
  });
});

describe("the Lambda example, run against the built package", () => {
  // Like Lambda, the driver freezes (here: kills) the process as soon as the handler's promise
  // settles, so no exit hook or timer can deliver afterwards.
  const driver = (event: unknown) => `
    import { handler } from "./examples/serverless-lambda/handler.mjs";
    const deadline = Date.now() + 3000;
    const context = { functionName: "order-agent", awsRequestId: "r1", getRemainingTimeInMillis: () => deadline - Date.now() };
    const out = await handler(${JSON.stringify(event)}, context);
    console.log(JSON.stringify(out));
    process.kill(process.pid, "SIGKILL");`;

  it("delivers the trajectory, tool and LLM spans exactly once before the sandbox is frozen", async () => {
    const run = await runNode(driver({ question: "Where is my order?", orderId: "B-7" }), {
      env: { BENTOLABS_API_KEY: TEST_KEY, BENTOLABS_BASE_URL: receiver.url },
    });
    expect(JSON.parse(run.stdout)).toMatchObject({ statusCode: 200 });
    const root = receiver.span("order-agent");
    expect(receiver.span("lookup_order").parentSpanId).toBe(root.spanId);
    expect(receiver.span("llm_call").parentSpanId).toBe(root.spanId);
    expect(receiver.spans).toHaveLength(3);
  });

  it("delivers the early-return path too", async () => {
    const run = await runNode(driver({}), { env: { BENTOLABS_API_KEY: TEST_KEY, BENTOLABS_BASE_URL: receiver.url } });
    expect(JSON.parse(run.stdout)).toEqual({ statusCode: 400, body: "missing question" });
    expect(receiver.spans.map((s) => s.name)).toEqual(["order-agent"]);
  });
});
