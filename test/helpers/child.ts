import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Run a snippet of ESM (or CJS with `cjs: true`) in a child `node` against the built dist. */
export function runNode(source: string, { cjs = false, ...opts }: RunOptions & { cjs?: boolean } = {}): Promise<ChildResult> {
  return runArgs([`--input-type=${cjs ? "commonjs" : "module"}`, "-e", source], opts);
}

export interface RunOptions {
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** Run `node <args>` in the project root without blocking this process's event loop. */
export function runArgs(args: string[], { env = {}, timeoutMs = 20_000 }: RunOptions = {}): Promise<ChildResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", BENTOLABS_LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`child timed out after ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}
