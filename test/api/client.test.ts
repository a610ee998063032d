import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BentoApiError, BentoAuthError, BentoValidationError, createClient } from "../../src/api/index.js";
import { type FakeApi, startFakeApi } from "../support/fake-bento-api.js";

const KEY = "bl_pk_test_client_0123456789";
const SECRET = "sk-lf-client-secret-4242";
let api: FakeApi;
beforeEach(async () => {
  api = await startFakeApi({ token: KEY });
});
afterEach(() => api.close());

const bento = () => createClient({ baseUrl: api.url, apiKey: KEY, workspace: "ws_1", env: {} });
const config = { public_key: "pk-lf-1", secret_key: SECRET, base_url: "https://cloud.langfuse.com" };

describe("createClient", () => {
  it("sends each method's documented request with a bearer token", async () => {
    const c = bento();
    await c.credentials.list();
    const created = await c.credentials.create({ source_type: "langfuse", config });
    await c.credentials.get(created.id);
    await c.credentials.update(created.id, { config: { ...config, public_key: "pk-lf-2" } });
    await c.credentials.runHealthCheck(created.id);
    await c.sync.status(created.id);
    await c.credentials.delete(created.id);
    await c.sync.getWorkspaceSettings();
    await c.sync.updateWorkspaceSettings({ schedule_enabled: false });
    await c.sync.listWorkspaceReports({ limit: 2 });
    await c.sync.getDoctor({ fromDate: "2026-11-01", toDate: "2026-11-21T00:00:00Z" });
    expect(api.requests.map((r) => `${r.method} ${r.path}${r.rawQuery}`)).toEqual([
      "GET /workspaces/ws_1/credentials",
      "POST /workspaces/ws_1/credentials",
      "GET /credentials/cred_2",
      "PUT /credentials/cred_2",
      "POST /credentials/cred_2/health-check",
      "GET /credentials/cred_2/sync/status",
      "DELETE /credentials/cred_2",
      "GET /workspaces/ws_1/sync-settings",
      "PATCH /workspaces/ws_1/sync-settings",
      "GET /workspaces/ws_1/sync-reports?limit=2",
      "GET /workspaces/ws_1/sync-doctor?from_date=2026-11-01&to_date=2026-11-21T00%3A00%3A00Z",
    ]);
    expect(api.requests.every((r) => r.authorization === `Bearer ${KEY}`)).toBe(true);
    expect(api.requests[1]!.body).toEqual({ source_type: "langfuse", config });
    expect(api.requests[8]!.body).toEqual({ schedule_enabled: false });
  });

  it("returns lists as { items } and single resources as objects", async () => {
    const c = bento();
    const { items } = await c.sync.listWorkspaceReports();
    expect(items).toHaveLength(3);
    expect(items[0]).toMatchObject({ id: "rep_1", created: 10, updated: 1, skipped: 0, failed: 0 });
    const cred = await c.credentials.get("cred_1");
    expect(cred.config).not.toHaveProperty("secret_key");
  });

  it("lets a call override the default workspace", async () => {
    await bento().credentials.list({ workspace: "ws_other" });
    expect(api.requests[0]!.path).toBe("/workspaces/ws_other/credentials");
  });

  it("refuses workspace-scoped calls without a workspace, before sending", async () => {
    const c = createClient({ baseUrl: api.url, apiKey: KEY, env: {} });
    await expect(c.sync.getDoctor()).rejects.toMatchObject({ name: "BentoValidationError", code: "missing_workspace" });
    expect(api.requests).toHaveLength(0);
  });

  it("validates bodies and query values before sending", async () => {
    const c = bento();
    await expect(c.sync.updateWorkspaceSettings({ frequency_minutes: 10 })).rejects.toBeInstanceOf(BentoValidationError);
    await expect(c.credentials.create({ source_type: "langfuse", config: { ...config, base_url: "file:///x" } })).rejects.toMatchObject({
      field: "config.base_url",
    });
    await expect(c.sync.listWorkspaceReports({ limit: 0 })).rejects.toMatchObject({ field: "limit" });
    await expect(c.credentials.get("")).rejects.toMatchObject({ field: "credential-id" });
    expect(api.requests).toHaveLength(0);
  });

  it("reads the key and base URL from the environment", async () => {
    const c = createClient({ workspace: "ws_1", env: { BENTOLABS_API_KEY: KEY, BENTOLABS_BASE_URL: `${api.url}/` } });
    expect(c.baseUrl).toBe(api.url);
    await c.credentials.list();
    expect(api.requests[0]!.authorization).toBe(`Bearer ${KEY}`);
  });

  it("defaults to https://api.bentolabs.ai", () => {
    expect(createClient({ apiKey: KEY, env: {} }).baseUrl).toBe("https://api.bentolabs.ai");
  });

  it("throws BentoAuthError without a key", () => {
    expect(() => createClient({ env: {} })).toThrow(BentoAuthError);
  });

  it("describes failures with status, server message, method and path but never the key", async () => {
    const c = createClient({ baseUrl: api.url, apiKey: "bl_pk_wrong_0123456789", env: {} });
    const e = (await c.credentials.get("cred_1").catch((err: unknown) => err)) as BentoApiError;
    expect(e).toBeInstanceOf(BentoApiError);
    expect(e).toMatchObject({
      name: "BentoApiError",
      code: "http_error",
      status: 401,
      serverMessage: "invalid API key",
      method: "GET",
      path: "/credentials/cred_1",
    });
    expect(e.message).toBe("GET /credentials/cred_1 failed with HTTP 401: invalid API key");
    expect(inspect(e, { depth: 5 })).not.toContain("bl_pk_wrong_0123456789");
    expect(JSON.stringify(e)).not.toContain("bl_pk_wrong_0123456789");
  });

  it("sends any request through request() with the same auth", async () => {
    const res = await bento().request({ method: "GET", path: "/workspaces/ws_1/sync-reports", query: { limit: 1 } });
    expect(res).toMatchObject({ status: 200, body: { items: [{ id: "rep_1" }] } });
  });
});
