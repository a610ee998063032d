import { afterEach, describe, expect, it } from "vitest";
import { BentoValidationError, createClient } from "../../src/api/index.js";
import { type FakeApi, startFakeApi } from "../support/fake-bento-api.js";

const KEY = "bl_pk_test_platform_0123456789";
let api: FakeApi | undefined;
afterEach(() => api?.close());

async function client(options: { whoami?: boolean } = {}) {
  api = await startFakeApi({ token: KEY, ...options });
  return createClient({ baseUrl: api.url, apiKey: KEY, workspace: "ws_1", env: {} });
}
const sent = () => api!.requests.map((r) => `${r.method} ${r.path}${r.rawQuery}`);

describe("workspaces, identity and traces in the typed client", () => {
  it("sends each method's documented route with snake_case query names", async () => {
    const c = await client();
    await c.workspaces.list();
    await c.auth.whoami();
    const page = await c.traces.list({
      limit: 5,
      cursor: "c_1",
      q: "refund",
      status: "error",
      model: "gpt-4o",
      startTime: "2026-01-01",
      endTime: "1767225600000",
    });
    await c.traces.list({ workspace: "ws_9" });
    await c.traces.get("t/1");
    await c.traces.listSpans("t_1", { limit: 2, cursor: "s_c" });
    await c.traces.getSpan("s_1");
    expect(sent()).toEqual([
      "GET /workspaces",
      "GET /auth/whoami",
      "GET /workspaces/ws_1/traces?limit=5&cursor=c_1&q=refund&status=error&model=gpt-4o&start_time=2026-01-01&end_time=1767225600000",
      "GET /workspaces/ws_9/traces",
      "GET /traces/t%2F1",
      "GET /traces/t_1/spans?limit=2&cursor=s_c",
      "GET /spans/s_1",
    ]);
    expect(page).toEqual({ items: [{ trace_id: "t_1", name: "run" }], next_cursor: "c_2" });
  });

  it("answers whoami from GET /workspaces when the server has no whoami route", async () => {
    const c = await client({ whoami: false });
    const who = await c.auth.whoami();
    expect(sent()).toEqual(["GET /auth/whoami", "GET /workspaces"]);
    expect(who.principal).toEqual({ type: "api_key", key: `bl_pk_…${KEY.slice(-4)}` });
    expect(who.workspaces.map((w) => w.id)).toEqual(["ws_1", "ws_123"]);
  });

  it("rejects only what every server rejects, before sending", async () => {
    const c = await client();
    await expect(c.traces.list({ limit: 0 })).rejects.toBeInstanceOf(BentoValidationError);
    await expect(c.traces.list({ startTime: "not a time" })).rejects.toMatchObject({ field: "start-time" });
    await expect(c.traces.get("")).rejects.toMatchObject({ field: "trace-id" });
    await expect(c.traces.getSpan(" ")).rejects.toMatchObject({ field: "span-id" });
    // the status vocabulary is the server's: it is passed through
    await c.traces.list({ status: "unset" });
    expect(sent()).toEqual(["GET /workspaces/ws_1/traces?status=unset"]);
  });

  it("sends an unknown source_type and a past next_run_at to the server, which owns those rules", async () => {
    const c = await client();
    await c.credentials.create({ source_type: "helicone", config: { api_key: "x" } as never });
    await c.sync.updateWorkspaceSettings({ next_run_at: "2020-01-01T00:00:00Z" });
    expect(sent()).toEqual(["POST /workspaces/ws_1/credentials", "PATCH /workspaces/ws_1/sync-settings"]);
  });
});
