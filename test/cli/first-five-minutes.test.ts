import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, expect, it } from "vitest";
import { freshDataDir } from "../dev/helpers.js";
import { CLI, type CliResult, tempHome } from "../support/run-cli.js";
import { expectNoSecrets } from "../support/secrets.js";

const ROOT = resolve(import.meta.dirname, "../..");

/** The command lines of the README's "First five minutes with the CLI" block, comments stripped. */
function walkthrough(): string[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.split("## First five minutes with the CLI")[1]?.split("\n## ")[0] ?? "";
  const block = /```bash\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error("README first-five-minutes block not found");
  return block
    .split("\n")
    .map((l) => l.replace(/\s+#.*$/, "").trim())
    .filter(Boolean);
}

let dev: ChildProcess | undefined;
afterAll(async () => {
  if (!dev || dev.exitCode !== null) return;
  const exited = new Promise((r) => dev!.once("exit", r));
  dev.kill("SIGINT");
  await exited;
});

/** `bentolabs dev` as the README runs it, plus a free port and a throwaway data dir. */
function startDev(env: NodeJS.ProcessEnv, dataDir: string): Promise<{ url: string; key: string }> {
  dev = spawn(process.execPath, [CLI, "dev", "--port", "0", "--data-dir", dataDir], { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  return new Promise((resolvePromise, reject) => {
    dev!.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const url = /export BENTOLABS_BASE_URL=(\S+)/.exec(out)?.[1];
      const key = /export BENTOLABS_API_KEY=(\S+)/.exec(out)?.[1];
      if (url && key) resolvePromise({ url, key });
    });
    dev!.on("exit", (code) => reject(new Error(`bentolabs dev exited (${code}): ${out}`)));
  });
}

function sh(line: string, env: NodeJS.ProcessEnv, stdin?: string): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("bash", ["-euo", "pipefail", "-c", line], { env, cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.end(stdin ?? "");
  });
}

it("runs the README's first five minutes as written: dev, login, workspaces, agent, traces", { timeout: 120_000 }, async () => {
  const home = tempHome();
  const shim = join(home, "bin", "bentolabs");
  mkdirSync(join(home, "bin"));
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(shim, 0o755);
  const env: NodeJS.ProcessEnv = { PATH: `${join(home, "bin")}:${process.env.PATH ?? ""}`, HOME: home, XDG_CONFIG_HOME: join(home, "xdg") };

  let server = { url: "", key: "" };
  let traceId = "";
  const outputs: Record<string, CliResult> = {};
  for (const written of walkthrough()) {
    if (written === "bentolabs dev") {
      server = await startDev(env, await freshDataDir());
      continue;
    }
    // the README's placeholders: the printed URL and key, and an id from the table above
    const line = written
      .replaceAll("http://127.0.0.1:8080", server.url)
      .replaceAll("bl_pk_dev_…", server.key)
      .replaceAll("<trace-id>", traceId);
    const exported = /^export (\w+)=(\S+)$/.exec(line);
    if (exported) {
      env[exported[1]!] = exported[2]!;
      continue;
    }
    // at a terminal the key is pasted at the hidden prompt (test/cli/login-tty.test.ts); here it is piped
    const r = await sh(line, env, line === "bentolabs auth login" ? `${server.key}\n` : undefined);
    expect(r.code, `${written}\n${r.stderr}`).toBe(0);
    expectNoSecrets(r, [server.key]);
    outputs[written] = r;
    if (written.startsWith("bentolabs traces list")) traceId = /^([0-9a-f]{32}) /m.exec(r.stdout)?.[1] ?? "";
  }

  expect(Object.keys(outputs)).toEqual([
    "bentolabs auth login",
    "bentolabs workspaces list",
    "bentolabs workspaces use local",
    "BENTOLABS_API_KEY=bl_pk_dev_… node examples/agent.mjs",
    "bentolabs traces list --limit 5 --output table",
    "bentolabs traces get <trace-id>",
  ]);
  expect(outputs["bentolabs auth login"]!.stdout).toContain("Logged in as bentolabs dev key (workspaces: local)");
  expect(JSON.parse(outputs["bentolabs workspaces list"]!.stdout).items.map((w: { id: string }) => w.id)).toEqual(["local"]);
  const table = outputs["bentolabs traces list --limit 5 --output table"]!.stdout.trimEnd().split("\n");
  expect(table[0]).toMatch(/^TRACE_ID +STARTED \(UTC\) +NAME +STATUS +MODELS +SPANS +TOKENS +DURATION +USER +SESSION$/);
  const rows = table.slice(2).filter((l) => /^[0-9a-f]{32} /.test(l));
  expect(rows).toHaveLength(4); // the example agent's four trajectories
  expect(rows.every((r) => r.includes("support_agent"))).toBe(true);
  expect(JSON.parse(outputs["bentolabs traces get <trace-id>"]!.stdout)).toMatchObject({ trace_id: traceId, name: "support_agent" });
});
