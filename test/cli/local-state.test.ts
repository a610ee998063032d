import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeApi, startFakeApi } from "../support/fake-bento-api.js";
import { type CliResult, runCli, tempHome } from "../support/run-cli.js";
import { closedUrl } from "../support/scripted-server.js";
import { API_KEY, expectNoSecrets, SAVED_TOKEN, SECRET_KEY } from "../support/secrets.js";

let api: FakeApi;
let home: string;
beforeEach(async () => {
  api = await startFakeApi({ token: API_KEY });
  home = tempHome();
});
afterEach(() => api.close());

const configFile = () => join(home, "xdg", "bentolabs", "config.json");
const cli = async (args: string[], opts: { env?: Record<string, string | undefined>; stdin?: string } = {}): Promise<CliResult> => {
  const r = await runCli(args, { home, stdin: opts.stdin, env: { BENTOLABS_API_KEY: API_KEY, BENTOLABS_BASE_URL: api.url, ...opts.env } });
  expectNoSecrets(r);
  return r;
};

const BODY = {
  source_type: "langfuse",
  config: { public_key: "pk-lf-stdin", secret_key: SECRET_KEY, base_url: "https://cloud.langfuse.com" },
};

describe("request bodies", () => {
  it("reads the body from stdin when it is piped", async () => {
    const r = await cli(["credentials", "create", "--workspace", "ws_1"], { stdin: JSON.stringify(BODY) });
    expect(r.code).toBe(0);
    expect(api.requests[0]!.body).toEqual(BODY);
  });

  it("reads a settings patch from stdin", async () => {
    const r = await cli(["sync", "update-workspace-settings", "--workspace", "ws_1"], { stdin: '{"max_traces_per_sync":8000}\n' });
    expect(r.code).toBe(0);
    expect(api.requests[0]).toMatchObject({ method: "PATCH", body: { max_traces_per_sync: 8000 } });
  });

  it("validates a piped body like any other (exit 2, nothing sent)", async () => {
    const r = await cli(["sync", "update-workspace-settings", "--workspace", "ws_1"], { stdin: '{"frequency_minutes":1}' });
    expect(r.code).toBe(2);
    expect(api.requests).toHaveLength(0);
  });

  it("reads the body from --data-file", async () => {
    const file = join(home, "body.json");
    writeFileSync(file, JSON.stringify({ config: BODY.config }));
    const r = await cli(["credentials", "update", "cred_1", "--data-file", file]);
    expect(r.code).toBe(0);
    expect(api.requests[0]).toMatchObject({ method: "PUT", path: "/credentials/cred_1", body: { config: BODY.config } });
  });

  it("prefers --data over piped stdin", async () => {
    const r = await cli(["sync", "update-workspace-settings", "--workspace", "ws_1", "--data", '{"frequency_minutes":120}'], {
      stdin: '{"frequency_minutes":240}',
    });
    expect(r.code).toBe(0);
    expect(api.requests[0]!.body).toEqual({ frequency_minutes: 120 });
  });
});

describe("bentolabs raw", () => {
  it("ignores stdin", async () => {
    const r = await cli(["raw", "POST", "/credentials/cred_1/health-check"], { stdin: '{"ignored":true}' });
    expect(r.code).toBe(0);
    expect(api.requests[0]).toMatchObject({ method: "POST", path: "/credentials/cred_1/health-check", body: undefined });
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "ok" });
  });

  it("sends --data, keeps the query string and lowercases nothing", async () => {
    const r = await cli(["raw", "patch", "/workspaces/ws_9/sync-settings?dry=1", "--data", '{"frequency_minutes":15}', "--output", "raw"]);
    expect(r.code).toBe(0);
    expect(api.requests[0]).toMatchObject({
      method: "PATCH",
      path: "/workspaces/ws_9/sync-settings",
      query: { dry: "1" },
      body: { frequency_minutes: 15 },
    });
    expect(api.requests[0]!.authorization).toBe(`Bearer ${API_KEY}`);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
  });

  it("reports an empty answer and exits 0", async () => {
    const r = await cli(["raw", "DELETE", "/credentials/cred_1"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("HTTP 204 (no body)\n");
  });

  it("exits 1 with the server's message on an error status", async () => {
    const r = await cli(["raw", "GET", "/nowhere"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("HTTP 404: no route GET /nowhere");
  });
});

describe("workspace selection", () => {
  it("saves the default workspace in a 0600 file inside a 0700 directory", async () => {
    const r = await cli(["workspaces", "use", "ws_1"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(configFile());
    expect(statSync(configFile()).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, "xdg", "bentolabs")).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(configFile(), "utf8"))).toEqual({ workspace: "ws_1" });
  });

  it("uses the saved workspace, and --workspace overrides it", async () => {
    await cli(["workspaces", "use", "ws_saved", "--force"]);
    await cli(["credentials", "list"]);
    await cli(["sync", "list-workspace-reports", "--workspace", "ws_flag"]);
    expect(api.requests.map((q) => q.path)).toEqual(["/workspaces/ws_saved/credentials", "/workspaces/ws_flag/sync-reports"]);
  });

  it("falls back to ~/.config when XDG_CONFIG_HOME is unset", async () => {
    const r = await cli(["workspaces", "use", "ws_home", "--force"], { env: { XDG_CONFIG_HOME: undefined } });
    expect(r.code).toBe(0);
    const file = join(home, ".config", "bentolabs", "config.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe("auth", () => {
  it("saves the token without printing it and uses it when no other key is given", async () => {
    const login = await cli(["auth", "login", "--token", SAVED_TOKEN, "--no-verify"]);
    expect(login.code).toBe(0);
    expect(statSync(configFile()).mode & 0o777).toBe(0o600);
    const r = await cli(["credentials", "get", "cred_1"], { env: { BENTOLABS_API_KEY: undefined } });
    expect(r.code).toBe(1); // the fake only accepts API_KEY: the saved token was sent
    expect(api.requests[0]!.authorization).toBe(`Bearer ${SAVED_TOKEN}`);
  });

  it("orders keys: --api-key, then BENTOLABS_API_KEY, then the saved token", async () => {
    await cli(["auth", "login", "--token", SAVED_TOKEN, "--no-verify"]);
    await cli(["credentials", "get", "cred_1"]);
    await cli(["credentials", "get", "cred_1", "--api-key", "bl_pk_flag_key_000000000"], {
      env: { BENTOLABS_API_KEY: "bl_pk_env_key_1111111111" },
    });
    expect(api.requests.map((q) => q.authorization)).toEqual([`Bearer ${API_KEY}`, "Bearer bl_pk_flag_key_000000000"]);
  });

  it("accepts the token on stdin", async () => {
    const r = await cli(["auth", "login"], { stdin: `${API_KEY}\n`, env: { BENTOLABS_API_KEY: undefined } });
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(configFile(), "utf8")).token).toBe(API_KEY);
  });

  it("forgets the token on logout", async () => {
    await cli(["auth", "login", "--token", SAVED_TOKEN, "--no-verify"]);
    const out = await cli(["auth", "logout"]);
    expect(out.code).toBe(0);
    expect(JSON.parse(readFileSync(configFile(), "utf8"))).toEqual({});
    const r = await cli(["credentials", "get", "cred_1"], { env: { BENTOLABS_API_KEY: undefined } });
    expect(r.code).toBe(2);
  });
});

describe("config", () => {
  it("shows the file path, the sources and a masked token", async () => {
    await cli(["auth", "login", "--token", SAVED_TOKEN, "--no-verify"]);
    await cli(["workspaces", "use", "ws_1"]);
    const r = await cli(["config", "show", "--output", "raw"], { env: { BENTOLABS_API_KEY: undefined, BENTOLABS_BASE_URL: undefined } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      config_file: configFile(),
      api_base: "https://api.bentolabs.ai",
      api_base_from: "default",
      workspace: "ws_1",
      workspace_from: "config",
      token: `bl_pk_…${SAVED_TOKEN.slice(-4)}`,
      auth_from: "config",
    });
  });

  it("saves api-base and sends requests there; BENTOLABS_BASE_URL still wins", async () => {
    const set = await cli(["config", "set", "api-base", `${api.url}/`], { env: { BENTOLABS_BASE_URL: undefined } });
    expect(set.code).toBe(0);
    expect(statSync(configFile()).mode & 0o777).toBe(0o600);
    const r = await cli(["sync", "status", "cred_1"], { env: { BENTOLABS_BASE_URL: undefined } });
    expect(r.code).toBe(0);
    expect(api.requests).toHaveLength(1);
    const viaEnv = await cli(["sync", "status", "cred_1"], { env: { BENTOLABS_BASE_URL: await closedUrl() } });
    expect(viaEnv.code).toBe(1);
    expect(viaEnv.stderr).toContain("ECONNREFUSED");
    expect(api.requests).toHaveLength(1);
  });

  it("refuses any key other than api-base", async () => {
    const r = await cli(["config", "set", "workspace", "ws_1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("the only settable key is api-base");
  });

  it("refuses an api-base without http(s)", async () => {
    const r = await cli(["config", "set", "api-base", "ftp://example.com"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("http:// or https://");
  });

  it("tightens a pre-existing world-readable config file to 0600 when writing", async () => {
    mkdirSync(join(home, "xdg", "bentolabs"), { recursive: true });
    writeFileSync(configFile(), "{}");
    chmodSync(configFile(), 0o644);
    await cli(["workspaces", "use", "ws_1"]);
    expect(statSync(configFile()).mode & 0o777).toBe(0o600);
  });
});

describe("help, version, dev", () => {
  it("shows help at every level with the real signature", async () => {
    const top = await cli(["--help"]);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain("credentials <command>");
    expect(top.stdout).toContain("raw <METHOD> <PATH>");
    const group = await cli(["sync", "--help"]);
    expect(group.stdout).toContain("list-workspace-reports");
    const cmd = await cli(["sync", "get-doctor", "-h"]);
    expect(cmd.stdout).toContain(
      "Usage: bentolabs sync get-doctor [--from-date <D>] [--to-date <D>] [--workspace <id>] [--output pretty|raw|table]",
    );
    expect(cmd.stdout).toContain("Sends: GET /workspaces/{ws}/sync-doctor?from_date=D&to_date=D");
    const get = await cli(["credentials", "get", "--help"]);
    expect(get.stdout).toContain("Usage: bentolabs credentials get <credential-id>");
    expect(api.requests).toHaveLength(0);
  });

  it("prints the package version", async () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    const r = await cli(["version"]);
    expect(r).toMatchObject({ code: 0, stdout: `bentolabs ${pkg.version}\n` });
  });

  it("routes the dev subcommand to the dev server's own help", async () => {
    const r = await cli(["dev", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: bentolabs dev [--port 8080] [--host 127.0.0.1] [--data-dir ./.bentolabs]");
  });

  it("echoes the request with --verbose, secrets and key masked", async () => {
    const r = await cli(["credentials", "create", "--workspace", "ws_1", "--verbose", "--data", JSON.stringify(BODY)]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`> POST ${api.url}/workspaces/ws_1/credentials`);
    expect(r.stderr).toContain(`"secret_key":"…${SECRET_KEY.slice(-4)}"`);
    expect(r.stderr).toContain(`> authorization: Bearer bl_pk_…${API_KEY.slice(-4)}`);
  });
});
