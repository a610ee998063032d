// Uses the built package exactly as a user's test would: `@bentolabs/sdk` and `@bentolabs/sdk/testing`.

import * as bento from "@bentolabs/sdk";
import { type Capture, capture, expectSpan } from "@bentolabs/sdk/testing";
import { afterEach, describe, expect, it } from "vitest";
import { runNode } from "../helpers/child.js";

let spans: Capture;
afterEach(async () => {
  spans?.stop();
  await bento.shutdown();
});

async function agent(question: string): Promise<string> {
  return bento.begin({ event: "support_agent", userId: "user_42", input: question }, async (t) => {
    const docs = await t.toolSpan("search_docs", { input: { question } }, async () => ["doc"]);
    bento.trackAi({
      event: "answer",
      model: "gpt-4o",
      provider: "openai",
      input: docs,
      output: "Paris",
      usage: { inputTokens: 3, outputTokens: 1 },
    });
    t.finish({ output: "Paris" });
    return "Paris";
  });
}

describe("@bentolabs/sdk/testing", () => {
  it("captures the spans a user's code emits, with parents and attributes", async () => {
    spans = capture();
    await agent("capital of France?");
    expect(spans.tree()).toBe("support_agent\n  search_docs\n  answer");
    expect(spans.roots().map((s) => s.name)).toEqual(["support_agent"]);
    expect(spans.children("support_agent").map((s) => s.name)).toEqual(["search_docs", "answer"]);
    const answer = spans.span("answer");
    expect(answer).toMatchObject({ parentSpanId: spans.span("support_agent").spanId, status: { code: "unset" }, scope: "@bentolabs/sdk" });
    expect(answer.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(answer.traceId).toBe(spans.span("support_agent").traceId);
    expectSpan(spans, "answer")
      .toBeChildOf("support_agent")
      .toHaveAttributes({ "gen_ai.request.model": "gpt-4o", "gen_ai.system": "openai", "gen_ai.usage.input_tokens": 3 });
    expectSpan(spans, "support_agent").toBeRoot().toHaveAttributes({ "gen_ai.user.id": "user_42", "output.value": "Paris" });
    expectSpan(spans, "search_docs").toHaveAttributes({
      "openinference.span.kind": "tool",
      "input.value": '{"question":"capital of France?"}',
    });
  });

  it("renders selected attributes and errors in the tree", async () => {
    spans = capture();
    await bento.begin({ event: "run" }, async () => {
      bento.trackAi({ event: "llm", model: "gpt-4o" });
      await bento
        .toolSpan("flaky", {}, async () => {
          throw new Error("boom");
        })
        .catch(() => undefined);
    });
    expect(spans.tree({ attributes: ["gen_ai.request.model"] })).toBe("run\n  llm {gen_ai.request.model=gpt-4o}\n  flaky !error");
    expectSpan(spans, "flaky").toHaveStatus("error", "boom").toHaveEvent("exception");
  });

  it("includes spans from instrumentations wired to bento.getTracerProvider()", async () => {
    spans = capture();
    const tracer = bento.getTracerProvider().getTracer("my-lib");
    const t = bento.begin({ event: "handle_run" });
    tracer.startSpan("library_call").end();
    t.finish();
    expectSpan(spans, "library_call").toBeChildOf("handle_run");
    expect(spans.span("library_call").scope).toBe("my-lib");
  });

  it("clears, stops, and stops on dispose", async () => {
    spans = capture();
    bento.trackAi({ event: "first" });
    expect(spans.byName("first")).toHaveLength(1);
    spans.clear();
    expect(spans.spans).toEqual([]);
    {
      using inner = capture();
      bento.trackAi({ event: "second" });
      expect(inner.spans.map((s) => s.name)).toEqual(["second"]);
      spans.stop();
    }
    bento.trackAi({ event: "third" });
    expect(spans.spans.map((s) => s.name)).toEqual(["second"]);
  });

  it("fails with readable messages that show the difference", async () => {
    spans = capture();
    await agent("q");
    expect(() => expectSpan(spans, "answer").toHaveAttributes({ "gen_ai.request.model": "gpt-4", "user.id": "u1" })).toThrow(
      'span "answer" attributes differ:\n' +
        '  - expected gen_ai.request.model: "gpt-4"\n  + actual   gen_ai.request.model: "gpt-4o"\n' +
        '  - expected user.id: "u1"\n  + actual   user.id: (absent)',
    );
    expect(() => expectSpan(spans, "answer").toBeChildOf("search_docs")).toThrow(
      'span "answer" is not a child of "search_docs": its parent is "support_agent"',
    );
    expect(() => expectSpan(spans, "support_agent").toBeChildOf("answer")).toThrow("its parent is no parent (a root)");
    expect(() => expectSpan(spans, "missing")).toThrow('no span named "missing" (captured: "search_docs", "answer", "support_agent")');
    expect(() => expectSpan(spans, "answer").toHaveExactAttributes({ "gen_ai.request.model": "gpt-4o" })).toThrow(
      /\+ actual {3}gen_ai.system: "openai"/,
    );
    expect(() => expectSpan(spans, "answer").toHaveStatus("error")).toThrow('has status {"code":"unset"}, expected {"code":"error"}');
    bento.trackAi({ event: "answer" });
    expect(() => spans.span("answer")).toThrow('expected one span named "answer", found 2');
  });
});

describe("@bentolabs/sdk/testing in a process with no API key", () => {
  it("captures without network and without any warning", async () => {
    const res = await runNode(`
      import * as bento from "@bentolabs/sdk";
      import { capture, expectSpan } from "@bentolabs/sdk/testing";
      const spans = capture();
      await bento.begin({ event: "run" }, async () => bento.trackAi({ event: "answer", model: "m" }));
      expectSpan(spans, "answer").toBeChildOf("run").toHaveAttributes({ "gen_ai.request.model": "m" });
      await bento.flush();
      console.log(spans.tree());
    `);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout.trim()).toBe("run\n  answer");
  });

  it("captures through require() as well", async () => {
    const res = await runNode(
      `const bento = require("@bentolabs/sdk"); const { capture } = require("@bentolabs/sdk/testing");
       const spans = capture(); bento.trackAi({ event: "cjs" }); console.log(spans.tree());`,
      { cjs: true },
    );
    expect(res.stderr).toBe("");
    expect(res.stdout.trim()).toBe("cjs");
  });

  it("still warns about the missing key when no capture is active", async () => {
    const res = await runNode(`import * as bento from "@bentolabs/sdk"; bento.trackAi({ event: "x" });`);
    expect(res.stderr).toMatch(/Tracing is disabled/);
  });

  it("without a key and without a capture, counts the spans as dropped and flush() is not ok", async () => {
    const res = await runNode(`import * as bento from "@bentolabs/sdk";
      console.log(JSON.stringify(await bento.flush()));
      bento.trackAi({ event: "x" }); bento.trackAi({ event: "y" });
      console.log(JSON.stringify(bento.stats()));
      console.log(JSON.stringify(await bento.flush()));
      console.log(JSON.stringify(await bento.shutdown()));`);
    expect(res.code).toBe(0);
    expect(
      res.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { ok: true, pending: 0 }, // nothing was emitted yet
      { emitted: 2, exported: 0, queued: 0, dropped: { not_configured: 2 } },
      { ok: false, pending: 0 },
      { ok: false, pending: 0 },
    ]);
  });

  it("without a key but with a capture, flush() is ok: the capture is where the spans go", async () => {
    const res = await runNode(`import * as bento from "@bentolabs/sdk"; import { capture } from "@bentolabs/sdk/testing";
      const spans = capture(); bento.trackAi({ event: "x" });
      console.log(JSON.stringify(await bento.flush()), spans.spans.length);`);
    expect(res.stderr).toBe("");
    expect(res.stdout.trim()).toBe('{"ok":true,"pending":0} 1');
  });
});
