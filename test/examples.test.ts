import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runArgs } from "./helpers/child.js";
import { Receiver, TEST_KEY } from "./helpers/receiver.js";

const receiver = new Receiver();
beforeAll(() => receiver.start());
afterAll(() => receiver.stop());
afterEach(() => receiver.reset());

function run(file: string) {
  return runArgs([file], { env: { BENTOLABS_API_KEY: TEST_KEY, BENTOLABS_BASE_URL: receiver.url }, timeoutMs: 60_000 });
}

/** Modules the examples import, not examples themselves. */
const HELPERS = new Set(["fake-openai.mjs"]);

/** What each example must deliver; every runnable example in examples/ must be listed. */
const EXPECTED: Record<string, (r: Receiver, stdout: string) => void> = {
  "quickstart.mjs": (r) => {
    expect(r.span("answer").parentSpanId).toBe(r.span("chat").spanId);
    expect(r.span("lookup").attributes["openinference.span.kind"]).toBe("tool");
  },
  "agent.mjs": (r) => {
    expect(r.spans.filter((s) => s.name === "support_agent")).toHaveLength(4);
    expect(new Set(r.spans.map((s) => s.attributes["gen_ai.conversation.id"]).filter(Boolean))).toEqual(new Set(["chat_1", "chat_2"]));
    expect(r.span("billing_api").status.code).toBe(2);
  },
  "openai-instrumentation.mjs": (r, stdout) => {
    const trajectory = r.span("support_agent");
    const llm = r.spans.filter((s) => s.name === "OpenAI Chat Completions");
    expect(llm).toHaveLength(2);
    for (const s of llm) expect(s.parentSpanId).toBe(trajectory.spanId);
    expect(llm.map((s) => s.attributes["llm.model_name"])).toEqual(["gpt-4o-mini", "gpt-4o-mini"]);
    // Both the plain and the streamed call carry token counts.
    for (const s of llm) expect(s.attributes["llm.token_count.total"]).toEqual(expect.any(Number));
    // Bento's columns on the instrumentation's spans: identity from init(), model/provider/tokens mapped.
    for (const s of llm) {
      expect(s.attributes).toMatchObject({
        "gen_ai.user.id": "user_42",
        "gen_ai.conversation.id": "chat_99",
        "gen_ai.request.model": "gpt-4o-mini",
        "gen_ai.system": "openai",
      });
      expect(s.attributes["gen_ai.usage.output_tokens"]).toEqual(expect.any(Number));
    }
    expect(stdout).toMatch(/instrumented: @arizeai\/openinference-instrumentation-openai/);
    expect(stdout).toMatch(/answer: Echo: Polish this answer: Echo: What is the capital of France\?/);
  },
  "vercel-ai.mjs": (r, stdout) => {
    const trajectory = r.span("support_agent");
    expect(r.span("ai.generateText").parentSpanId).toBe(trajectory.spanId);
    expect(r.span("ai.streamText").parentSpanId).toBe(trajectory.spanId);
    for (const name of ["ai.generateText.doGenerate", "ai.streamText.doStream"]) {
      expect(r.span(name).attributes).toMatchObject({
        "openinference.span.kind": "llm",
        "gen_ai.system": "openai",
        "gen_ai.request.model": "gpt-4o-mini",
      });
      expect(r.span(name).attributes["gen_ai.usage.output_tokens"]).toEqual(expect.any(Number));
    }
    expect(stdout).toMatch(/answer: Echo: Polish this answer: Echo: What is the capital of France\?/);
  },
  "wrappers.mjs": (r, stdout) => {
    expect(stdout).toMatch(/refunds take 5 days/);
    const root = r.span("support_agent");
    expect(r.span("search_docs").parentSpanId).toBe(root.spanId);
    expect(r.span("stream_answer").parentSpanId).toBe(root.spanId);
    expect(JSON.parse(String(r.span("search_docs").attributes["input.value"]))).toEqual({ query: "refund", limit: 2 });
    expect(r.span("stream_answer").attributes["output.value"]).toBe("Per refund policy: refunds take 5 days. ");
    expect(root.attributes["output.value"]).toBe("Per refund policy: refunds take 5 days.");
  },
  "privacy.mjs": (r, stdout) => {
    expect(stdout).toMatch(/flush ok=true, exported 2 spans, sampled out 2/);
    const root = r.span("support_agent");
    const tool = r.span("lookup_customer");
    expect(root.attributes["gen_ai.user.id"]).toMatch(/^hmac_[a-p]{16}$/);
    expect(root.status.code).toBe(2);
    expect(root.status.message).toBe("billing API rejected card [REDACTED:card]");
    expect(tool.attributes["input.value"]).toBe('{"email":"[REDACTED:email]"}');
    expect(tool.attributes).not.toHaveProperty("internal.note");
    expect(tool.events.find((e) => e.name === "exception")!.attributes["exception.message"]).toBe(
      "billing API rejected card [REDACTED:card]",
    );
    expect(root.resource).toMatchObject({ "deployment.environment.name": "staging", "service.version": "1.4.2" });
    expect(JSON.stringify(r.requests.map((q) => q.body))).not.toMatch(/jane@acme\.com|4111 1111/);
  },
  "migrate-from-langfuse.mjs": (r, stdout) => {
    expect(stdout).toMatch(/flushed: true/);
    // Row 1: an app span through BentoLabsSpanProcessor, with Bento's model column mapped.
    expect(r.span("row1_app_span").attributes).toMatchObject({ "gen_ai.request.model": "gpt-4o" });
    const agent = r.span("row3_agent");
    // Row 2 (scope) + rows 8–9 (trace update) on the trajectory.
    expect(agent.attributes).toMatchObject({
      "gen_ai.user.id": "user_42",
      "gen_ai.conversation.id": "chat_99",
      "langfuse.tags": ["migrated", "trace-update"],
      plan: "pro",
      "score.correctness": 0.9,
      "input.value": "What is the capital of France?",
      "output.value": "Paris.",
    });
    // Row 7: updateCurrentSpan on the innermost span, the trajectory here.
    expect(agent.attributes.step).toBe(2);
    const generation = r.span("row4_generation");
    expect(generation.parentSpanId).toBe(agent.spanId);
    expect(generation.attributes).toMatchObject({
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.system": "openai",
      "gen_ai.usage.input_tokens": 12,
      "gen_ai.usage.output_tokens": 3,
      "gen_ai.user.id": "user_42",
      "gen_ai.conversation.id": "chat_99",
    });
    expect(r.span("row5_tool").attributes).toMatchObject({ "openinference.span.kind": "tool", "output.value": '["Paris"]' });
    expect(r.span("row5_tool").parentSpanId).toBe(agent.spanId);
    expect(r.span("row6_lookup").attributes).toMatchObject({ "openinference.span.kind": "tool", "output.value": "Paris is in France" });
  },
  "migrate-from-raindrop.mjs": (r, stdout) => {
    expect(stdout).toMatch(/closed: true/);
    const tracked = r.span("row3_track_ai");
    expect(stdout).toContain(`eventId: ${tracked.spanId}`);
    expect(tracked.attributes).toMatchObject({
      "gen_ai.user.id": "user_42",
      "gen_ai.conversation.id": "chat_99",
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.system": "openai",
      "input.value": "Hi",
      "output.value": "Hello!",
      plan: "pro",
    });
    const begun = r.span("row4_begin");
    expect(begun.attributes).toMatchObject({
      "gen_ai.user.id": "user_42",
      "gen_ai.conversation.id": "chat_99",
      stage: "planning",
      destination: "Paris",
      "input.value": "Plan a trip",
      "output.value": "Here is your plan.",
    });
    expect(r.span("row5_tool").parentSpanId).toBe(begun.spanId);
    expect(r.span("row5_tool").attributes["output.value"]).toBe('{"hotels":3}');
    expect(r.span("row6_signal").attributes).toMatchObject({ "signal.thumbs_down": true, "signal.comment": "Off-topic" });
    expect(r.span("row7_scoped").attributes).toMatchObject({ "gen_ai.user.id": "user_from_request", "gen_ai.conversation.id": "chat_100" });
  },
  "demo.mjs": (r, stdout) => {
    // The demo runs against its own in-process dev server, not this receiver.
    expect(r.spans).toHaveLength(0);
    expect(stdout).toMatch(/4 trajectories stored by the dev server/);
    expect(stdout).toMatch(
      /trajectory [0-9a-f]{32} \(user user_ada, session chat_1\) status=ok\n {2}support_agent \[trajectory\].*\n {2}├─ search_docs \[tool\]/,
    );
    expect(stdout).toMatch(/billing_api \[tool\].*ERROR: billing API timed out/);
    expect(stdout).toMatch(/sessions: .*chat_1 \(2 turns\)/);
    expect(stdout).toMatch(/users: .*user_ada \(2 runs\)/);
  },
};

describe("examples", () => {
  it("lists every example", () => {
    const files = readdirSync(new URL("../examples", import.meta.url)).filter((f) => f.endsWith(".mjs") && !HELPERS.has(f));
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [file, check] of Object.entries(EXPECTED)) {
    it(`runs examples/${file}`, async () => {
      const res = await run(`examples/${file}`);
      expect(res.code, res.stderr).toBe(0);
      check(receiver, res.stdout);
    });
  }

  it("keeps the demo's dev server running with --keep and serves the viewer", async () => {
    const child = spawn(process.execPath, ["examples/demo.mjs", "--keep"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const viewer = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no viewer URL printed:\n${out}`)), 60_000);
      child.stdout.on("data", (d) => {
        out += d;
        const m = /Viewer: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    const page = await fetch(viewer);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
  });
});
