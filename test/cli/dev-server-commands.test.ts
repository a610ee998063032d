import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../../src/dev/server.js";
import { BASE_MS, freshDataDir, otlpBody, otlpSpan, postTraces, spanId, traceId } from "../dev/helpers.js";
import { type CliResult, runCli, tempHome } from "../support/run-cli.js";
import { closedUrl } from "../support/scripted-server.js";
import { expectNoSecrets, SECRET_KEY } from "../support/secrets.js";

// One dev server for the file: the commands only read, except the sync cases which use their own
// workspace settings and a credential that nothing else looks at.
let server: DevServer;
beforeAll(async () => {
  server = await startDevServer({ dataDir: await freshDataDir() });
  const llm = (trace: number, span: number, parent: number, model: string, startMs: number) =>
    otlpSpan({
      trace,
      span,
      parent,
      name: "chat_completion",
      startMs,
      durationMs: 900,
      attrs: { "gen_ai.request.model": model, "gen_ai.usage.input_tokens": 100, "gen_ai.usage.output_tokens": 20 },
    });
  const spans = [
    otlpSpan({
      trace: 1,
      span: 1,
      name: "support_agent",
      startMs: BASE_MS,
      durationMs: 2400,
      attrs: { "gen_ai.user.id": "alice", "gen_ai.conversation.id": "chat_a", "input.value": "How do refunds work?" },
    }),
    otlpSpan({
      trace: 1,
      span: 2,
      parent: 1,
      name: "search_docs",
      startMs: BASE_MS + 10,
      durationMs: 50,
      attrs: { "openinference.span.kind": "TOOL" },
    }),
    llm(1, 3, 1, "gpt-4o", BASE_MS + 100),
    otlpSpan({
      trace: 2,
      span: 4,
      name: "refund_bot",
      startMs: BASE_MS + 60_000,
      durationMs: 300,
      status: 2,
      message: "billing API timed out",
      attrs: { "gen_ai.user.id": "bob" },
    }),
    llm(2, 5, 4, "claude-3-5-sonnet", BASE_MS + 60_010),
    otlpSpan({
      trace: 3,
      span: 6,
      name: "support_agent",
      startMs: BASE_MS + 120_000,
      durationMs: 12,
      attrs: { "gen_ai.request.model": "gpt-4o-mini", "input.value": "shipping times?", "app.api_key": SECRET_KEY },
    }),
  ];
  expect((await postTraces(server, otlpBody(spans))).status).toBe(200);
}, 60_000);
afterAll(() => server?.close());

/** Run the built CLI against the dev server with a fresh home; every output is checked for leaks. */
async function cli(
  args: string[],
  opts: { home?: string; env?: Record<string, string | undefined>; stdin?: string } = {},
): Promise<CliResult> {
  const env = { BENTOLABS_API_KEY: server.apiKey, BENTOLABS_BASE_URL: server.url, ...opts.env };
  const r = await runCli(args, { home: opts.home ?? tempHome(), env, stdin: opts.stdin });
  expectNoSecrets(r, [server.apiKey]);
  return r;
}
const json = async (args: string[], opts?: Parameters<typeof cli>[1]) => {
  const r = await cli([...args, "--workspace", "local", "--output", "raw"], opts);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};

describe.concurrent("workspaces and identity", () => {
  it("lists the dev server's workspace (GET /workspaces)", async () => {
    const r = await cli(["workspaces", "list", "--output", "raw"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ items: [{ id: "local", name: "Local dev workspace", kind: "dev" }], next_cursor: null });
  });

  it("saves a workspace that is in the list", async () => {
    const home = tempHome();
    const r = await cli(["workspaces", "use", "local"], { home });
    expect(r).toMatchObject({ code: 0, stdout: expect.stringContaining("Default workspace is now local") });
    const who = await cli(["auth", "whoami", "--output", "raw"], { home });
    expect(JSON.parse(who.stdout)).toMatchObject({ current_workspace: "local", current_workspace_from: "config" });
  });

  it("refuses an unknown workspace, names the known ids and saves nothing (exit 1)", async () => {
    const home = tempHome();
    const r = await cli(["workspaces", "use", "locl"], { home });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Unknown workspace "locl": this key can use local');
    expect(r.stderr).toContain("--force");
    const shown = await cli(["config", "show", "--output", "raw"], { home });
    expect(JSON.parse(shown.stdout).workspace).toBeNull();
  });

  it("saves any well-formed id with --force, without asking the server", async () => {
    const r = await cli(["workspaces", "use", "ws_offline", "--force"], { env: { BENTOLABS_BASE_URL: await closedUrl() } });
    expect(r.code).toBe(0);
  });

  it("says how to save anyway when the server is down (exit 1)", async () => {
    const r = await cli(["workspaces", "use", "local"], { env: { BENTOLABS_BASE_URL: await closedUrl() } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("could not reach the Bento API");
    expect(r.stderr).toContain("pass --force to save local without checking");
  });

  it("auth whoami shows the masked key, the workspaces and where the settings came from", async () => {
    const r = await cli(["auth", "whoami", "--output", "raw"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      principal: { type: "api_key", name: "bentolabs dev key", key: `bl_pk_…${server.apiKey.slice(-4)}` },
      workspaces: [{ id: "local", name: "Local dev workspace", kind: "dev" }],
      api_base: server.url,
      auth_from: "env",
      current_workspace: null,
      current_workspace_from: null,
    });
  });

  it("auth whoami with a wrong key exits 1 with the 401 and a hint", async () => {
    const r = await cli(["auth", "whoami"], { env: { BENTOLABS_API_KEY: "bl_pk_dev_wrong_0000000000000000" } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("GET /auth/whoami failed with HTTP 401");
    expect(r.stderr).toContain("hint:");
  });

  it("renders every output mode with the key masked", { timeout: 90_000 }, async () => {
    for (const mode of ["pretty", "raw", "table"]) {
      const r = await cli(["auth", "whoami", "--output", mode]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`…${server.apiKey.slice(-4)}`);
    }
  });
});

describe.concurrent("auth login", () => {
  it("checks a piped key against the server, then saves it", async () => {
    const home = tempHome();
    const r = await cli(["auth", "login"], { home, stdin: `${server.apiKey}\n`, env: { BENTOLABS_API_KEY: undefined } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Logged in as bentolabs dev key (workspaces: local)");
    const who = await cli(["auth", "whoami", "--output", "raw"], { home, env: { BENTOLABS_API_KEY: undefined } });
    expect(JSON.parse(who.stdout)).toMatchObject({ auth_from: "config" });
  });

  it("refuses a wrong key with a clear message and saves nothing (exit 1)", async () => {
    const home = tempHome();
    const r = await cli(["auth", "login"], { home, stdin: "bl_pk_dev_not_the_key_123456789\n", env: { BENTOLABS_API_KEY: undefined } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${server.url} refused this key (HTTP 401`);
    expect(r.stderr).toContain("Nothing was saved");
    expect(r.stderr).not.toContain("not_the_key");
    const shown = await cli(["config", "show", "--output", "raw"], { home, env: { BENTOLABS_API_KEY: undefined } });
    expect(JSON.parse(shown.stdout).token).toBeNull();
  });

  it("saves nothing when the server cannot be reached, and says how to save offline", async () => {
    const r = await cli(["auth", "login", "--token", server.apiKey], { env: { BENTOLABS_BASE_URL: await closedUrl() } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Could not check the key");
    expect(r.stderr).toContain("--no-verify");
  });

  it("exits 2 on empty stdin", async () => {
    const r = await cli(["auth", "login"], { stdin: "" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("type it at the prompt, pass --token <token>, or pipe it on stdin");
  });
});

describe.concurrent("traces", () => {
  const t = (n: number) => traceId(n);

  it("lists runs newest first, and each filter reaches the server under its query name", { timeout: 90_000 }, async () => {
    const ids = async (...flags: string[]) => (await json(["traces", "list", ...flags])).items.map((x: { trace_id: string }) => x.trace_id);
    const results = await Promise.all([
      ids(),
      ids("--status", "error"),
      ids("--model", "gpt-4o"),
      ids("--q", "REFUNDS"),
      ids("--start-time", new Date(BASE_MS + 1).toISOString()),
      ids("--end-time", String(BASE_MS + 60_000)),
    ]);
    expect(results).toEqual([[t(3), t(2), t(1)], [t(2)], [t(1)], [t(1)], [t(3), t(2)], [t(1)]]);
  });

  it("pages with --limit and prints the next page's command (pretty: stderr)", { timeout: 90_000 }, async () => {
    const first = await cli(["traces", "list", "--workspace", "local", "--limit", "2"]);
    expect(first.code).toBe(0);
    const page = JSON.parse(first.stdout);
    expect(page.items).toHaveLength(2);
    const next = /^Next page: (.*)$/m.exec(first.stderr)?.[1];
    expect(next).toBe(`bentolabs traces list --workspace local --limit 2 --cursor ${page.next_cursor}`);
    const second = await cli(next!.split(" ").slice(1));
    const rest = JSON.parse(second.stdout);
    expect(rest.items.map((x: { trace_id: string }) => x.trace_id)).toEqual([t(1)]);
    expect(rest.next_cursor).toBeNull();
    expect(second.stderr).toBe("");
  });

  it("renders --output table as the viewer's Runs table, with the next page below it", async () => {
    const r = await cli(["traces", "list", "--workspace", "local", "--limit", "2", "--output", "table"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^TRACE_ID +STARTED \(UTC\) +NAME +STATUS +MODELS +SPANS +TOKENS +DURATION +USER +SESSION$/);
    expect(lines[1]).toMatch(/^-+( +-+)*$/);
    expect(lines[2]).toMatch(new RegExp(`^${t(3)} +2026-01-15 12:02:00 +support_agent +ok +gpt-4o-mini +1 +– +12 ms +– +–$`));
    expect(lines[3]).toMatch(new RegExp(`^${t(2)} +2026-01-15 12:01:00 +refund_bot +error +claude-3-5-sonnet +2 +120 +910 ms +bob +–$`));
    expect(lines[4]).toBe("");
    expect(lines[5]).toMatch(/^Next page: bentolabs traces list --workspace local --limit 2 --output table --cursor \S+$/);
  });

  it("prints raw pages as one JSON line, with next_cursor in it and no hint", async () => {
    const r = await cli(["traces", "list", "--workspace", "local", "--limit", "1", "--output", "raw"]);
    expect(r.stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(JSON.parse(r.stdout).next_cursor).toEqual(expect.any(String));
    expect(r.stderr).toBe("");
  });

  it("gets one run with the root's full input", async () => {
    const r = await cli(["traces", "get", t(1), "--output", "raw"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      trace_id: t(1),
      name: "support_agent",
      span_count: 3,
      input: "How do refunds work?",
      user_id: "alice",
      session_id: "chat_a",
    });
  });

  it("lists a run's spans in start order, paged, and renders them as a table", { timeout: 90_000 }, async () => {
    const all = await json(["traces", "list-spans", t(1)]);
    expect(all.items.map((s: { span_id: string }) => s.span_id)).toEqual([spanId(1), spanId(2), spanId(3)]);
    expect(all.next_cursor).toBeNull();
    const page = await json(["traces", "list-spans", t(1), "--limit", "2"]);
    expect(page.items).toHaveLength(2);
    const rest = await json(["traces", "list-spans", t(1), "--limit", "2", "--cursor", page.next_cursor]);
    expect(rest).toEqual({ items: [all.items[2]], next_cursor: null });
    const table = await cli(["traces", "list-spans", t(1), "--output", "table"]);
    expect(table.stdout.split("\n")[0]).toMatch(/^SPAN_ID +PARENT +STARTED \(UTC\) +NAME +KIND +STATUS +MODEL +TOKENS +DURATION$/);
    expect(table.stdout).toMatch(new RegExp(`^${spanId(3)} +${spanId(1)} .* chat_completion +llm +unset +gpt-4o +100 / 20 +900 ms$`, "m"));
  });

  it("masks a secret-named span attribute in every output mode", { timeout: 90_000 }, async () => {
    const outs = await Promise.all(["pretty", "raw", "table"].map((mode) => cli(["traces", "get-span", spanId(6), "--output", mode])));
    for (const r of outs) {
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`…${SECRET_KEY.slice(-4)}`);
    }
  });

  it("gets one span", async () => {
    const span = await json(["traces", "get-span", spanId(4)]);
    expect(span).toMatchObject({ span_id: spanId(4), name: "refund_bot", status: "error", status_message: "billing API timed out" });
  });

  it("exits 1 with the server's 404 for an unknown trace or span", { timeout: 90_000 }, async () => {
    for (const args of [
      ["traces", "get", "feedface"],
      ["traces", "list-spans", "feedface"],
      ["traces", "get-span", "feedface"],
    ]) {
      const r = await cli(args);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/failed with HTTP 404: No (trace|span) with id "feedface"/);
    }
  });

  it("exits 1 with the 401 when the key is wrong", async () => {
    const r = await cli(["traces", "list", "--workspace", "local"], { env: { BENTOLABS_API_KEY: "bl_pk_dev_wrong_0000000000000000" } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("HTTP 401");
  });

  it("exits 1 when the server is down", async () => {
    const r = await cli(["traces", "get", t(1)], { env: { BENTOLABS_BASE_URL: await closedUrl() } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("could not reach the Bento API");
  });

  it("exits 1 with the server's message for a filter value only the server knows is wrong", async () => {
    const r = await cli(["traces", "list", "--workspace", "local", "--status", "failed"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('HTTP 400: status must be "ok" or "error", got "failed"');
    const big = await cli(["traces", "list-spans", traceId(1), "--limit", "5000"]);
    expect(big.code).toBe(1);
    expect(big.stderr).toContain("HTTP 400: limit must be an integer from 1 to 1000");
  });

  it("exits 2 before sending anything on a bad flag, limit, time or missing workspace", { timeout: 90_000 }, async () => {
    for (const [args, words] of [
      [["traces", "list", "--workspace", "local", "--bogus"], ["--bogus"]],
      [
        ["traces", "list", "--workspace", "local", "--limit", "0"],
        ["--limit", "positive integer"],
      ],
      [
        ["traces", "list", "--workspace", "local", "--start-time", "last tuesday-ish"],
        ["start-time", "ISO-8601"],
      ],
      [
        ["traces", "list"],
        ["No workspace selected", "bentolabs workspaces use"],
      ],
      [["traces", "get"], ["Missing <trace-id>"]],
      [["workspaces", "use", "a/b"], ["Invalid workspace id"]],
    ] as const) {
      const r = await cli([...args], { env: { BENTOLABS_BASE_URL: await closedUrl() } });
      expect(r.code).toBe(2);
      for (const w of words) expect(r.stderr).toContain(w);
    }
  });
});

describe("server-owned validation", () => {
  it("sends an unknown source_type to the server, which answers 422 naming the supported types", async () => {
    const body = JSON.stringify({ source_type: "datadog", config: { api_key: SECRET_KEY } });
    const r = await cli(["credentials", "create", "--workspace", "local", "--data", body]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'POST /workspaces/local/credentials failed with HTTP 422: source_type must be one of "langfuse" (got "datadog")',
    );
  });

  it("sets next_run_at; the server refuses the past and says why", { timeout: 90_000 }, async () => {
    const past = await cli([
      "sync",
      "update-workspace-settings",
      "--workspace",
      "local",
      "--data",
      '{"next_run_at":"2020-01-01T00:00:00Z"}',
    ]);
    expect(past.code).toBe(1);
    expect(past.stderr).toMatch(
      /HTTP 422: next_run_at 2020-01-01T00:00:00Z is not in the future \(server time is \S+\): pick a later time/,
    );

    const none = await cli([
      "sync",
      "update-workspace-settings",
      "--workspace",
      "local",
      "--data",
      '{"next_run_at":"2099-01-01T00:00:00Z"}',
    ]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("has no credential to schedule");

    const config = { public_key: "pk-lf-next", secret_key: SECRET_KEY, base_url: await closedUrl() };
    const created = await json(["credentials", "create", "--data", JSON.stringify({ source_type: "langfuse", config })]);
    const at = new Date(Date.now() + 3 * 3600_000);
    at.setUTCMilliseconds(0);
    const settings = await json([
      "sync",
      "update-workspace-settings",
      "--data",
      JSON.stringify({ next_run_at: at.toISOString().replace(".000Z", "Z") }),
    ]);
    expect(settings.next_run_at).toBe(at.toISOString());
    expect((await json(["sync", "get-workspace-settings"])).next_run_at).toBe(at.toISOString());
    expect((await json(["sync", "status", created.id])).next_run_at).toBe(at.toISOString());
    await cli(["credentials", "delete", created.id, "--workspace", "local"]);
  });
});
