import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { runDevCommand } from "../../src/cli/dev-bridge.js";
import type { Io } from "../../src/cli/io.js";

function memoryIo(): Io & { errors: string[] } {
  const errors: string[] = [];
  return { env: {}, out: () => {}, err: (t) => void errors.push(t), stdinIsTTY: true, readStdin: async () => "", errors };
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
