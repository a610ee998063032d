import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../../src/dev/index.js";
import { freshDataDir, otlpBody, otlpSpan, postTraces, spanId, traceId } from "./helpers.js";

const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

let server: DevServer;
let client: Client;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error("dist/cli.js is missing: run `npx tsup` (npm test builds first)");
  server = await startDevServer({ dataDir: await freshDataDir() });
  const spans = [
    otlpSpan({
      trace: 1,
      span: 1,
      name: "support-agent",
      attrs: {
        "openinference.span.kind": "AGENT",
        "input.value": "Where is my refund?",
        "gen_ai.user.id": "alice",
        "gen_ai.conversation.id": "chat-a",
      },
    }),
    otlpSpan({ trace: 1, span: 2, parent: 1, name: "plan", attrs: { "gen_ai.request.model": "gpt-4o", "output.value": "x".repeat(500) } }),
    otlpSpan({
      trace: 1,
      span: 3,
      parent: 1,
      name: "lookup_order",
      status: 2,
      message: "orders API timed out",
      attrs: { "openinference.span.kind": "TOOL" },
    }),
    otlpSpan({ trace: 2, span: 4, name: "other-run", startMs: Date.UTC(2026, 0, 16), attrs: { "gen_ai.user.id": "bob" } }),
  ];
  expect((await postTraces(server, otlpBody(spans))).status).toBe(200);
  client = new Client({ name: "test", version: "1.0.0" });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [CLI, "mcp", "--url", server.url, "--api-key", server.apiKey],
      stderr: "pipe",
    }),
  );
}, 60_000);

afterAll(async () => {
  await client?.close();
  await server?.close();
});

const text = async (name: string, args: Record<string, unknown> = {}) => {
  const res = (await client.callTool({ name, arguments: args })) as { isError?: boolean; content: Array<{ text: string }> };
  return { error: res.isError === true, text: res.content.map((c) => c.text).join("\n") };
};

describe("bentolabs mcp over stdio", () => {
  it("lists its tools", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      "get_span",
      "get_trajectory",
      "list_runs",
      "list_sessions",
      "list_users",
      "search_runs",
    ]);
  });

  it("lists and searches runs with the read API's filters", async () => {
    const all = await text("list_runs");
    expect(all.text.indexOf(traceId(2))).toBeLessThan(all.text.indexOf(traceId(1))); // newest first
    expect(all.text).toContain("ERROR");
    const refund = await text("search_runs", { q: "REFUND" });
    expect(refund.text).toContain(traceId(1));
    expect(refund.text).not.toContain(traceId(2));
    expect((await text("list_runs", { user_id: "bob" })).text).toContain("other-run");
    expect((await text("list_runs", { status: "error" })).text).not.toContain(traceId(2));
    expect((await text("list_runs", { limit: 1 })).text).toMatch(/More: call again with cursor="/);
  });

  it("outlines a trajectory with kinds, errors and truncated output, and pages it", async () => {
    const { text: outline } = await text("get_trajectory", { trace_id: traceId(1), max_chars: 40 });
    expect(outline).toContain("- support-agent [agent]");
    expect(outline).toMatch(/\n {2}- plan \[llm\] .*gpt-4o/);
    expect(outline).toContain("ERROR: orders API timed out");
    expect(outline).toContain("… (+460 chars)");
    expect(outline).toContain(`(span ${spanId(3)})`);
    const page = await text("get_trajectory", { trace_id: traceId(1), limit: 1 });
    expect(page.text).toContain("spans 1-1 of 3");
    expect(page.text).toContain("More: call again with offset=1.");
  });

  it("returns one span's full payload", async () => {
    const span = JSON.parse((await text("get_span", { span_id: spanId(2) })).text);
    expect(span).toMatchObject({ name: "plan", model: "gpt-4o", trace_id: traceId(1) });
    expect(span.output).toHaveLength(500);
  });

  it("lists sessions and users", async () => {
    expect((await text("list_sessions")).text).toContain("chat-a | 1 turns");
    const users = (await text("list_users")).text;
    expect(users).toContain("alice");
    expect(users).toContain("bob");
  });

  it("answers bad arguments and unknown ids with a tool error saying what was wrong", async () => {
    const missing = await text("get_trajectory", { trace_id: "ffffffffffffffffffffffffffffffff" });
    expect(missing.error).toBe(true);
    expect(missing.text).toMatch(/No trace/);
    const bad = await text("list_runs", { limit: 0 });
    expect(bad).toEqual({ error: true, text: "limit must be an integer from 1 to 100, got 0." });
  });
});
