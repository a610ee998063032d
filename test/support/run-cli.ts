import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const CLI = resolve(import.meta.dirname, "../../dist/cli.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** The user's home; XDG_CONFIG_HOME is `<home>/xdg` unless env overrides it. */
  home: string;
  env?: Record<string, string | undefined>;
  /** Piped to stdin; when absent stdin is /dev/null (not a terminal, empty). */
  stdin?: string;
}

/** A fresh fake home directory for one test's config file. */
export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), "bentolabs-cli-"));
}

/** Spawn the built CLI (`node dist/cli.js …`) with a clean environment. */
export function runCli(args: string[], options: RunOptions): Promise<CliResult> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test builds first).`);
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: options.home, XDG_CONFIG_HOME: join(options.home, "xdg") };
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env,
      stdio: [options.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
    if (options.stdin !== undefined) child.stdin?.end(options.stdin);
  });
}
