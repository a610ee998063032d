import { describe, expect, it } from "vitest";
import { type FakeApi, startFakeApi } from "../support/fake-bento-api.js";
import { type CliResult, runCli, tempHome } from "../support/run-cli.js";
import { API_KEY, expectNoSecrets, masked, SECRET_KEY } from "../support/secrets.js";

const CREATE = {
  source_type: "langfuse",
  config: { public_key: "pk-lf-new", secret_key: SECRET_KEY, base_url: "https://cloud.langfuse.com" },
};
const UPDATE = { config: { public_key: "pk-lf-rotated", secret_key: SECRET_KEY, base_url: "https://us.cloud.langfuse.com" } };

interface Case {
  args: string[];
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: unknown;
}

/** Every command of SPEC §8 and exactly the request it must send. */
const CASES: Case[] = [
  { args: ["credentials", "list", "--workspace", "ws_1"], method: "GET", path: "/workspaces/ws_1/credentials" },
  { args: ["credentials", "get", "cred_1"], method: "GET", path: "/credentials/cred_1" },
  {
    args: ["credentials", "create", "--workspace", "ws_1", "--data", JSON.stringify(CREATE)],
    method: "POST",
    path: "/workspaces/ws_1/credentials",
    body: CREATE,
  },
  { args: ["credentials", "update", "cred_1", "--data", JSON.stringify(UPDATE)], method: "PUT", path: "/credentials/cred_1", body: UPDATE },
  { args: ["credentials", "run-health-check", "cred_1"], method: "POST", path: "/credentials/cred_1/health-check" },
  { args: ["sync", "get-workspace-settings", "--workspace", "ws_1"], method: "GET", path: "/workspaces/ws_1/sync-settings" },
  {
    args: ["sync", "update-workspace-settings", "--workspace", "ws_1", "--data", '{"frequency_minutes":30,"schedule_enabled":false}'],
    method: "PATCH",
    path: "/workspaces/ws_1/sync-settings",
    body: { frequency_minutes: 30, schedule_enabled: false },
  },
  { args: ["sync", "status", "cred_1"], method: "GET", path: "/credentials/cred_1/sync/status" },
  {
    args: ["sync", "list-workspace-reports", "--workspace", "ws_1", "--limit", "2"],
    method: "GET",
    path: "/workspaces/ws_1/sync-reports",
    query: { limit: "2" },
  },
  { args: ["sync", "list-workspace-reports", "--workspace", "ws_1"], method: "GET", path: "/workspaces/ws_1/sync-reports" },
  {
    args: ["sync", "get-doctor", "--workspace", "ws_1", "--from-date", "2026-11-01", "--to-date", "2026-11-21"],
    method: "GET",
    path: "/workspaces/ws_1/sync-doctor",
    query: { from_date: "2026-11-01", to_date: "2026-11-21" },
  },
  { args: ["sync", "get-doctor", "--workspace", "ws_1"], method: "GET", path: "/workspaces/ws_1/sync-doctor" },
];

// Each test owns a fresh home and a leaky fake server (it returns secret_key: the CLI must still
// mask it), so the tests can run concurrently: most of a CLI spawn's time is waiting.
async function fixture() {
  const api = await startFakeApi({ token: API_KEY, echoSecrets: true });
  const home = tempHome();
  const cli = async (args: string[]): Promise<CliResult> => {
    const r = await runCli(args, { home, env: { BENTOLABS_API_KEY: API_KEY, BENTOLABS_BASE_URL: api.url } });
    expectNoSecrets(r);
    return r;
  };
  return { api, cli, [Symbol.asyncDispose]: () => api.close() };
}

function expectRequest(api: FakeApi, c: Case): void {
  expect(api.requests).toHaveLength(1);
  const req = api.requests[0]!;
  expect(req.method).toBe(c.method);
  expect(req.path).toBe(c.path);
  expect(req.query).toEqual(c.query ?? {});
  expect(req.body).toEqual(c.body);
  expect(req.authorization).toBe(`Bearer ${API_KEY}`);
  if (c.body !== undefined) expect(req.contentType).toBe("application/json");
}

describe.concurrent.each(CASES)("bentolabs $args.0 $args.1", (c) => {
  it("sends its documented request and pretty-prints the masked response", async () => {
    await using f = await fixture();
    const { api, cli } = f;
    const r = await cli(c.args);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expectRequest(api, c);
    expect(r.stdout).toContain('\n  "');
    expect(JSON.parse(r.stdout)).toEqual(masked(api.requests[0]!.response));
  });

  it("prints one line of JSON with --output raw", async () => {
    await using f = await fixture();
    const { api, cli } = f;
    const r = await cli([...c.args, "--output", "raw"]);
    expect(r.code).toBe(0);
    expectRequest(api, c);
    expect(r.stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(JSON.parse(r.stdout)).toEqual(masked(api.requests[0]!.response));
  });

  it("prints aligned columns with --output table", async () => {
    await using f = await fixture();
    const { api, cli } = f;
    const r = await cli([...c.args, "--output", "table"]);
    expect(r.code).toBe(0);
    expectRequest(api, c);
    const response = api.requests[0]!.response as Record<string, unknown>;
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[1]).toMatch(/^-+( +-+)*$/);
    if (Array.isArray(response.items)) {
      // one header, one rule, one row per item; nested objects become dotted columns
      expect(lines).toHaveLength(2 + response.items.length);
      expect(lines[0]).toMatch(/^ID +/);
      const first = response.items[0] as Record<string, unknown>;
      expect(lines[2]).toContain(String(first.id));
    } else {
      expect(lines[0]).toMatch(/^FIELD +VALUE$/);
      for (const [k, v] of Object.entries(response)) {
        if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
          expect(r.stdout).toMatch(new RegExp(`^${k} +${String(v).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"));
        }
      }
    }
  });
});

describe.concurrent("bentolabs credentials delete", () => {
  it("sends DELETE /credentials/{id} and confirms on stdout", async () => {
    await using f = await fixture();
    const { api, cli } = f;
    const r = await cli(["credentials", "delete", "cred_1"]);
    expect(r.code).toBe(0);
    expectRequest(api, { args: [], method: "DELETE", path: "/credentials/cred_1" });
    expect(r.stdout).toBe("Deleted credential cred_1.\n");
  });

  it("keeps stdout empty in raw mode (the confirmation goes to stderr)", async () => {
    await using f = await fixture();
    const { api, cli } = f;
    const r = await cli(["credentials", "delete", "cred_1", "--output", "raw"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("Deleted credential cred_1.\n");
  });

  it("confirms in table mode too", async () => {
    await using f = await fixture();
    const { api, cli } = f;
    const r = await cli(["credentials", "delete", "cred_1", "--output", "table"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("Deleted credential cred_1.\n");
  });
});

describe.concurrent("credential ids and workspaces in paths", () => {
  it("URL-encodes ids so they cannot change the route", async () => {
    await using f = await fixture();
    const { api, cli } = f;
    const r = await cli(["credentials", "get", "a/b?c"]);
    expect(r.code).toBe(1);
    expect(api.requests[0]!.path).toBe("/credentials/a%2Fb%3Fc");
  });

  it("shows the list with the secret masked but the public key visible", async () => {
    await using f = await fixture();
    const { api, cli } = f;
    const r = await cli(["credentials", "list", "--workspace", "ws_1", "--output", "table"]);
    expect(r.stdout).toContain("CONFIG.SECRET_KEY");
    expect(r.stdout).toContain("…0001");
    expect(r.stdout).toContain("pk-lf-seed");
  });
});
