import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeApi, startFakeApi } from "../support/fake-bento-api.js";
import { type CliResult, runCli, tempHome } from "../support/run-cli.js";
import { closedUrl } from "../support/scripted-server.js";
import { API_KEY, expectNoSecrets, SECRET_KEY } from "../support/secrets.js";

let api: FakeApi;
const home = tempHome();
beforeAll(async () => {
  api = await startFakeApi({ token: API_KEY });
});
afterAll(() => api.close());
beforeEach(() => {
  api.requests.length = 0;
});

const cli = async (args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> => {
  const r = await runCli(args, { home, env: { BENTOLABS_API_KEY: API_KEY, BENTOLABS_BASE_URL: api.url, ...env } });
  expectNoSecrets(r);
  return r;
};

const langfuse = (config: Record<string, unknown>) =>
  JSON.stringify({
    source_type: "langfuse",
    config: { public_key: "pk-lf-1", secret_key: SECRET_KEY, base_url: "https://cloud.langfuse.com", ...config },
  });

/** [what is wrong, argv, words the message must contain] */
const INVALID: Array<[string, string[], string[]]> = [
  ["invalid JSON", ["credentials", "create", "--workspace", "ws_1", "--data", "{nope"], ["Invalid JSON in --data"]],
  [
    "an empty source_type",
    ["credentials", "create", "--workspace", "ws_1", "--data", JSON.stringify({ source_type: "", config: { secret_key: SECRET_KEY } })],
    ["source_type", "non-empty string"],
  ],
  [
    "a missing source_type",
    ["credentials", "create", "--workspace", "ws_1", "--data", JSON.stringify({ config: {} })],
    ["source_type", '"langfuse"'],
  ],
  [
    "a missing secret_key",
    ["credentials", "create", "--workspace", "ws_1", "--data", langfuse({ secret_key: undefined })],
    ["config.secret_key", "public_key, secret_key, base_url"],
  ],
  [
    "a missing public_key on update",
    ["credentials", "update", "cred_1", "--data", JSON.stringify({ config: { secret_key: SECRET_KEY, base_url: "https://x.io" } })],
    ["config.public_key", "public_key, secret_key, base_url"],
  ],
  [
    "a base_url without http(s)",
    ["credentials", "create", "--workspace", "ws_1", "--data", langfuse({ base_url: "cloud.langfuse.com" })],
    ["config.base_url", "http:// or https://"],
  ],
  [
    "frequency_minutes below 15",
    ["sync", "update-workspace-settings", "--workspace", "ws_1", "--data", '{"frequency_minutes":5}'],
    ["frequency_minutes", "15 to 10080", "got 5"],
  ],
  [
    "frequency_minutes above 10080",
    ["sync", "update-workspace-settings", "--workspace", "ws_1", "--data", '{"frequency_minutes":10081}'],
    ["frequency_minutes", "15 to 10080"],
  ],
  [
    "a fractional frequency_minutes",
    ["sync", "update-workspace-settings", "--workspace", "ws_1", "--data", '{"frequency_minutes":30.5}'],
    ["frequency_minutes", "integer"],
  ],
  [
    "max_traces_per_sync below 5000",
    ["sync", "update-workspace-settings", "--workspace", "ws_1", "--data", '{"max_traces_per_sync":4999}'],
    ["max_traces_per_sync", "5000 to 10000"],
  ],
  [
    "max_traces_per_sync above 10000",
    ["sync", "update-workspace-settings", "--workspace", "ws_1", "--data", '{"max_traces_per_sync":10001}'],
    ["max_traces_per_sync", "5000 to 10000"],
  ],
  [
    "a string schedule_enabled",
    ["sync", "update-workspace-settings", "--workspace", "ws_1", "--data", '{"schedule_enabled":"yes"}'],
    ["schedule_enabled", "true or false", '"yes"'],
  ],
  [
    "a next_run_at that is not ISO-8601",
    ["sync", "update-workspace-settings", "--workspace", "ws_1", "--data", '{"next_run_at":"tomorrow"}'],
    ["next_run_at", "ISO-8601", '"tomorrow"'],
  ],
  [
    "an unknown settings field",
    ["sync", "update-workspace-settings", "--workspace", "ws_1", "--data", '{"frequency":60}'],
    ["frequency", "schedule_enabled, frequency_minutes, next_run_at, max_traces_per_sync"],
  ],
  ["an empty settings patch", ["sync", "update-workspace-settings", "--workspace", "ws_1", "--data", "{}"], ["Nothing to update"]],
  ["a zero --limit", ["sync", "list-workspace-reports", "--workspace", "ws_1", "--limit", "0"], ["--limit", "positive integer"]],
  ["a non-numeric --limit", ["sync", "list-workspace-reports", "--workspace", "ws_1", "--limit", "ten"], ["--limit", "positive integer"]],
  ["a malformed --from-date", ["sync", "get-doctor", "--workspace", "ws_1", "--from-date", "21/11/2026"], ["from-date", "YYYY-MM-DD"]],
  ["no workspace", ["credentials", "list"], ["No workspace selected", "bentolabs workspaces use <workspace-id>", "--workspace"]],
  ["no workspace for sync", ["sync", "get-doctor"], ["bentolabs workspaces use"]],
  ["no body", ["credentials", "create", "--workspace", "ws_1"], ["needs a JSON body", "--data", "--data-file", "stdin"]],
  [
    "both --data and --data-file",
    ["credentials", "update", "cred_1", "--data", "{}", "--data-file", "x.json"],
    ["either --data or --data-file"],
  ],
  ["an unreadable --data-file", ["credentials", "update", "cred_1", "--data-file", "/nonexistent/body.json"], ["--data-file", "ENOENT"]],
  ["a missing positional", ["credentials", "get"], ["Missing <credential-id>", "Usage: bentolabs credentials get <credential-id>"]],
  ["an extra positional", ["credentials", "list", "ws_1"], ["Unexpected argument", "ws_1"]],
  ["an unknown flag", ["credentials", "list", "--workspace", "ws_1", "--bogus"], ["--bogus"]],
  ["an unknown output mode", ["credentials", "get", "cred_1", "--output", "xml"], ["--output", "pretty, raw, table"]],
  ["an unknown command", ["credentials", "sync-now"], ["credentials sync-now", "list, get, create, update, delete, run-health-check"]],
  ["an unknown group", ["frobnicate"], ["frobnicate", "--help"]],
  ["a raw method outside the list", ["raw", "TRACE", "/x"], ["METHOD", "GET, POST, PUT, PATCH, DELETE"]],
  ["a raw path without a leading slash", ["raw", "GET", "credentials"], ["PATH", '"/"']],
  ["invalid JSON for raw", ["raw", "POST", "/x", "--data", "[1,"], ["Invalid JSON in --data"]],
];

describe("validation before any request", () => {
  it.each(INVALID)("rejects %s with exit 2 and says what is allowed", async (_what, args, words) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    for (const w of words) expect(r.stderr).toContain(w);
    expect(api.requests).toHaveLength(0);
  });

  it("rejects a missing API key with exit 2 and names the three ways to give one", async () => {
    const r = await cli(["credentials", "get", "cred_1"], { BENTOLABS_API_KEY: undefined });
    expect(r.code).toBe(2);
    for (const w of ["--api-key", "BENTOLABS_API_KEY", "bentolabs auth login"]) expect(r.stderr).toContain(w);
    expect(api.requests).toHaveLength(0);
  });

  it("rejects a BENTOLABS_BASE_URL without a scheme with exit 2", async () => {
    const r = await cli(["credentials", "get", "cred_1"], { BENTOLABS_BASE_URL: "api.example.com" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("BENTOLABS_BASE_URL");
  });
});

describe("API errors", () => {
  it("exits 1 with the status and the server's message", async () => {
    const r = await cli(["credentials", "get", "cred_missing"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("GET /credentials/cred_missing failed with HTTP 404: credential cred_missing not found");
  });

  it("exits 1 on a rejected key without printing the key", async () => {
    const r = await cli(["credentials", "get", "cred_1", "--api-key", "bl_pk_wrong_key_0000000000"], {});
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("HTTP 401: invalid API key");
    expect(r.stderr).toContain("hint:");
    expect(r.stderr + r.stdout).not.toContain("bl_pk_wrong_key_0000000000");
  });

  it("exits 1 when the API cannot be reached", async () => {
    const r = await cli(["credentials", "run-health-check", "cred_1"], { BENTOLABS_BASE_URL: await closedUrl() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("POST /credentials/cred_1/health-check failed: could not reach the Bento API (connect ECONNREFUSED");
  });
});
