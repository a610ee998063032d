import { execFile } from "node:child_process";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, expect, it } from "vitest";
import { type FakeApi, startFakeApi } from "../support/fake-bento-api.js";
import { CLI, tempHome } from "../support/run-cli.js";
import { API_KEY, expectNoSecrets, SECRET_KEY } from "../support/secrets.js";

const run = promisify(execFile);

/** The bash block of the README's "Connect a Langfuse source (CLI)" section, verbatim. */
function walkthrough(): string {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const section = readme.split("## Connect a Langfuse source (CLI)")[1]?.split("\n## ")[0] ?? "";
  const block = /```bash\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error("README walkthrough block not found");
  return block;
}

let api: FakeApi;
beforeEach(async () => {
  api = await startFakeApi({ token: API_KEY, ids: ["cred_123"] });
});
afterEach(() => api.close());

it("runs the README's Langfuse walkthrough end to end against a server", async () => {
  const home = tempHome();
  const shim = join(home, "bentolabs");
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(shim, 0o755);
  const env = {
    PATH: `${home}:${process.env.PATH ?? ""}`,
    HOME: home,
    XDG_CONFIG_HOME: join(home, "xdg"),
    BENTOLABS_API_KEY: API_KEY,
    BENTOLABS_BASE_URL: api.url,
    LANGFUSE_PUBLIC_KEY: "pk-lf-readme",
    LANGFUSE_SECRET_KEY: SECRET_KEY,
  };
  const result = await run("bash", ["-euo", "pipefail", "-c", walkthrough()], { env });
  expectNoSecrets({ code: 0, ...result });
  expect(api.requests.map((r) => `${r.method} ${r.path}${r.rawQuery} ${r.status}`)).toEqual([
    "GET /workspaces 200",
    "POST /workspaces/ws_123/credentials 201",
    "GET /credentials/cred_123/sync/status 200",
    "GET /workspaces/ws_123/sync-reports?limit=5 200",
    "GET /workspaces/ws_123/sync-doctor?from_date=2026-11-01 200",
    "PATCH /workspaces/ws_123/sync-settings 200",
    "PUT /credentials/cred_123 200",
    "POST /credentials/cred_123/health-check 200",
  ]);
  const config = { public_key: "pk-lf-readme", secret_key: SECRET_KEY, base_url: "https://cloud.langfuse.com" };
  expect(api.requests[1]!.body).toEqual({ source_type: "langfuse", config });
  expect(api.requests[6]!.body).toEqual({ config });
});
