import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../../src/dev/server.js";
import { launchChromium } from "../support/browser.js";
import { type CliResult, runCli, tempHome } from "../support/run-cli.js";
import type { FakeLangfuse } from "./fake-langfuse.js";
import { FIXTURE_KEYS } from "./fixtures.js";
import { DATASET_NOW, startFake, WINDOW } from "./helpers.js";
import { ManualClock } from "./manual-clock.js";

const NEW_SECRET = "sk-lf-rotated-4d1f8c2e-77aa-4b19-9e0c-3f5a6b7c8d9e";
const SECRETS = [FIXTURE_KEYS.secret_key, NEW_SECRET];
const MIN = 60_000;

/**
 * The README's "Connect a Langfuse source" flow, for real: the built `bentolabs` CLI against the
 * dev server (in-process, with the scheduler on a manual clock) importing from the fake Langfuse.
 */
describe("bentolabs CLI → bentolabs dev → Langfuse (end to end)", () => {
  let fake: FakeLangfuse;
  let server: DevServer;
  let dataDir: string;
  let home: string;
  const clock = new ManualClock(DATASET_NOW);

  beforeAll(async () => {
    fake = await startFake("self-hosted-v3");
    dataDir = mkdtempSync(join(tmpdir(), "bento-sync-e2e-"));
    home = tempHome();
    server = await startDevServer({ dataDir, sync: { clock, importer: { window: WINDOW } } });
  }, 240_000); // the embedded PostgreSQL takes seconds to start, far more on a loaded machine
  afterAll(async () => {
    await server?.close();
    await fake?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function cli(...args: string[]): Promise<CliResult> {
    const r = await runCli([...args, "--output", "raw"], {
      home,
      env: { BENTOLABS_API_KEY: server.apiKey, BENTOLABS_BASE_URL: server.url },
    });
    for (const s of SECRETS) expect(`${r.stdout}${r.stderr}`).not.toContain(s);
    return r;
  }
  const json = async (...args: string[]) => {
    const r = await cli(...args);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Record<string, any>;
  };
  /** Let the manual clock fire due timers, then wait until the credential's import settled. */
  async function settle(id: string) {
    await clock.flush(() => new Promise((r) => setTimeout(r, 10)));
    for (let i = 0; i < 200; i++) {
      const s = await json("sync", "status", id);
      if (s.status !== "running" && s.status !== "idle") return s;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error("import did not finish");
  }
  const config = (secret_key: string) =>
    JSON.stringify({ source_type: "langfuse", config: { public_key: FIXTURE_KEYS.public_key, secret_key, base_url: fake.url } });

  let id = "";

  it("creates the credential with a passing health check (and never prints the secret)", async () => {
    expect((await cli("workspaces", "use", server.workspaceId)).code).toBe(0);
    const created = await json("credentials", "create", "--data", config(FIXTURE_KEYS.secret_key));
    expect(created).toMatchObject({
      source_type: "langfuse",
      last_health_status: "ok",
      config: { public_key: FIXTURE_KEYS.public_key, base_url: fake.url },
    });
    id = created.id;
    expect((await json("credentials", "run-health-check", id)).status).toBe("ok");
    const list = await json("credentials", "list");
    expect(list.items.map((c: { id: string }) => c.id)).toEqual([id]);
  });

  it("keeps the secret only in the data dir, in a 0600 file", () => {
    const file = join(dataDir, "sync", "state.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).toContain(FIXTURE_KEYS.secret_key);
    expect(readdirSync(join(dataDir, "sync"))).toEqual(["state.json"]);
  });

  it("imports the whole dataset on the first scheduled pull; status ok; reports match the dataset", async () => {
    expect(await settle(id)).toMatchObject({ status: "ok", last_run_traces: 7 });
    const { items } = await json("sync", "list-workspace-reports", "--limit", "5");
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ credential_id: id, status: "ok", created: 7, updated: 0, skipped: 0, failed: 0, errors: [] });
  });

  it("serves imported runs through the read API beside pushed ones, marked source=langfuse", async () => {
    const res = await fetch(`${server.url}/workspaces/${server.workspaceId}/traces?limit=50`, {
      headers: { authorization: `Bearer ${server.apiKey}` },
    });
    const body = (await res.json()) as { items: { trace_id: string; source: string; name: string }[] };
    expect(body.items).toHaveLength(7);
    expect(new Set(body.items.map((t) => t.source))).toEqual(new Set(["langfuse"]));
    const spans = (await (
      await fetch(`${server.url}/traces/4f1c2a9e8b7d6c5e3a2f1b0c9d8e7f6a/spans`, { headers: { authorization: `Bearer ${server.apiKey}` } })
    ).json()) as { items?: any[] } | any[];
    const list = Array.isArray(spans) ? spans : (spans.items ?? []);
    const llm = list.find((s: any) => s.span_id === "c58a14e0f7b2d963");
    expect(llm).toMatchObject({
      span_kind: "llm",
      provider: "openai",
      model: "gpt-4o-2024-08-06",
      user_id: "user_8841",
      input_tokens: 1388,
      output_tokens: 23,
      source: "langfuse",
    });
  });

  it("requires the dev key on the management routes", async () => {
    const res = await fetch(`${server.url}/workspaces/${server.workspaceId}/credentials`);
    expect(res.status).toBe(401);
  });

  it("shows the imported runs in the viewer, tagged with their source", async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(server.url);
      const rows = page.getByTestId("run-row");
      await expect.poll(() => rows.count()).toBe(7);
      expect(await page.getByTestId("source-tag").allTextContents()).toEqual(Array(7).fill("langfuse"));
      await rows.filter({ hasText: "weather-agent" }).click();
      await expect.poll(() => page.getByTestId("tree-node").count()).toBe(4);
      expect(await page.getByTestId("tree-node").getByTestId("kind-badge").allTextContents()).toEqual(["agent", "LLM", "tool", "LLM"]);
      const dir = fileURLToPath(new URL("../../test-artifacts/sync/", import.meta.url));
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: `${dir}imported-run.png` });
    } finally {
      await browser.close();
    }
  });

  it("runs again when the schedule says so (15-minute floor), picking up late changes as updates", async () => {
    await json("sync", "update-workspace-settings", "--data", '{"frequency_minutes": 15}');
    const out = fake.data.trace("5d2e8a0c7f1b4396e4a8c2d0b7f5e913")!;
    fake.data.patchTrace(String(out.id), { updatedAt: "2026-08-20T14:05:00.000Z", tags: ["agent", "beta", "reviewed"] });
    await clock.advance(14 * MIN, () => new Promise((r) => setTimeout(r, 10)));
    expect((await json("sync", "list-workspace-reports")).items).toHaveLength(1);
    await clock.advance(1 * MIN, () => new Promise((r) => setTimeout(r, 10)));
    expect(await settle(id)).toMatchObject({ status: "ok" });
    const { items } = await json("sync", "list-workspace-reports", "--limit", "5");
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ status: "ok", created: 0, updated: 1, failed: 0 });
  });

  it("rotates the keys with a full-config update; the doctor is healthy again", async () => {
    fake.keys = { ...fake.keys, secret_key: NEW_SECRET };
    const broken = await json("credentials", "run-health-check", id);
    expect(broken).toMatchObject({ status: "fail", code: "invalid_credentials" });
    const doctorBefore = await json("sync", "get-doctor", "--from-date", "2026-08-20");
    expect(doctorBefore.healthy).toBe(false);
    expect(doctorBefore.credentials[0].suggested_fix).toContain("credentials update");
    const rotated = await json("credentials", "update", id, "--data", config(NEW_SECRET));
    expect(rotated).toMatchObject({ id, last_health_status: "ok" });
    expect(readFileSync(join(dataDir, "sync", "state.json"), "utf8")).toContain(NEW_SECRET);
    expect((await json("sync", "get-doctor", "--from-date", "2026-08-20")).healthy).toBe(true);
  });

  it("rejects out-of-range settings with 422 and changes nothing", async () => {
    const r = await cli("raw", "PATCH", `/workspaces/${server.workspaceId}/sync-settings`, "--data", '{"max_traces_per_sync": 20000}');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/422/);
    expect(r.stderr).toContain("5000 to 10000");
    expect(await json("sync", "get-workspace-settings")).toMatchObject({ frequency_minutes: 15, max_traces_per_sync: 5000 });
  });

  it("deletes the credential", async () => {
    expect((await cli("credentials", "delete", id)).code).toBe(0);
    const gone = await cli("credentials", "get", id);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain("404");
    expect((await json("credentials", "list")).items).toEqual([]);
    expect(readFileSync(join(dataDir, "sync", "state.json"), "utf8")).not.toContain(NEW_SECRET);
  });
});
