import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { runDevCommand } from "../../src/cli/dev-bridge.js";
import type { Io } from "../../src/cli/io.js";

function memoryIo(): Io & { errors: string[] } {
  const errors: string[] = [];
  return {
    env: {},
    out: () => {},
    err: (t) => void errors.push(t),
    stdinIsTTY: true,
    readStdin: async () => "",
    readSecret: async () => "",
    errors,
  };
}

describe("bentolabs dev delegation", () => {
  it("hands argv to the dev module's runDev and returns its exit code", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bentolabs-dev-"));
    const file = join(dir, "dev.mjs");
    writeFileSync(file, "export async function runDev(argv) { return argv.join(' ') === '--port 0' ? 7 : 99; }\n");
    await expect(runDevCommand(["--port", "0"], memoryIo(), pathToFileURL(file).href)).resolves.toBe(7);
  });

  it("reports a module without runDev as unavailable", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bentolabs-dev-"));
    const file = join(dir, "other.mjs");
    writeFileSync(file, "export const x = 1;\n");
    const io = memoryIo();
    await expect(runDevCommand([], io, pathToFileURL(file).href)).resolves.toBe(1);
    expect(io.errors).toEqual(["bentolabs dev is not available in this build"]);
  });
});

describe("bentolabs dev through the built dispatcher", () => {
  it("starts the dev server, prints the export lines, and stops cleanly on SIGINT", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "bentolabs-dev-cli-"));
    const cli = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
    const child = spawn(process.execPath, [cli, "dev", "--port", "0", "--data-dir", dataDir], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stderr.on("data", (d) => (out += d));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`dev server did not start:\n${out}`)), 60_000);
      child.stdout.on("data", (d) => {
        out += d;
        const m = /export BENTOLABS_BASE_URL=(\S+)/.exec(out);
        if (m && /export BENTOLABS_API_KEY=bl_pk_dev_/.test(out)) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    expect((await fetch(`${url}/v1/traces`, { method: "POST", body: "{}" })).status).toBe(401);
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(out).toMatch(/Stopped\./);
  });
});
