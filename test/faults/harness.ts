import { spawn } from "node:child_process";
import { expect } from "vitest";
import { ROOT } from "../helpers/child.js";
import { type Fault, type FaultRequest, FaultServer } from "../helpers/fault-server.js";
import { TEST_KEY } from "../helpers/receiver.js";

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Date.now() when the child closed. */
  endedAt: number;
  /** The last line of stdout parsed as JSON (scripts print their report there). */
  report: any;
}

export interface Child {
  done: Promise<Run>;
  /** Resolves when stdout contains `text`. */
  waitFor(text: string): Promise<void>;
  kill(signal: NodeJS.Signals): void;
}

/** Run an ESM snippet against the built dist in a child process, with the sentinel key. */
export function spawnSdk(source: string, baseUrl: string, env: Record<string, string> = {}, timeoutMs = 30_000): Child {
  const started = Date.now();
  const child = spawn(process.execPath, ["--input-type=module", "-e", source], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", BENTOLABS_API_KEY: TEST_KEY, BENTOLABS_BASE_URL: baseUrl, BENTOLABS_LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const watchers: Array<() => void> = [];
  child.stdout.on("data", (d) => {
    stdout += d;
    for (const w of watchers) w();
  });
  child.stderr.on("data", (d) => (stderr += d));
  const done = new Promise<Run>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`child timed out after ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split("\n").at(-1) ?? "";
      let report: unknown;
      try {
        report = JSON.parse(last);
      } catch {
        report = undefined;
      }
      // Every fault test checks that the sentinel key never reached any output.
      expect(stdout + stderr).not.toContain(TEST_KEY);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started, endedAt: Date.now(), report });
    });
  });
  return {
    done,
    waitFor: (text) =>
      new Promise((resolve) => {
        const check = () => stdout.includes(text) && resolve();
        watchers.push(check);
        check();
      }),
    kill: (signal) => child.kill(signal),
  };
}

/** A fresh fault server with a plan; stop it when done. */
export async function faultServer(plan: (i: number, r: FaultRequest) => Fault = () => ({ status: 200 })): Promise<FaultServer> {
  const s = await new FaultServer().start();
  s.plan = plan;
  return s;
}

export function conserved(s: { emitted: number; exported: number; queued: number; dropped: Record<string, number> }): boolean {
  return s.emitted === s.exported + s.queued + Object.values(s.dropped).reduce((a, b) => a + b, 0);
}

export const SDK = `import * as bento from "./dist/index.js";`;
