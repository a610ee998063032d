import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = new URL("../..", import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as { bin: Record<string, string> };

describe("package entry points (built dist)", () => {
  it("serves @bentolabs/sdk/api to import and require", async () => {
    const esm = await run(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        "const m = await import('@bentolabs/sdk/api'); console.log(typeof m.createClient, typeof m.BentoApiError, typeof m.validateSyncSettingsUpdate)",
      ],
      { cwd: root },
    );
    expect(esm.stdout.trim()).toBe("function function function");
    const cjs = await run(process.execPath, ["-e", "const m = require('@bentolabs/sdk/api'); console.log(typeof m.createClient)"], {
      cwd: root,
    });
    expect(cjs.stdout.trim()).toBe("function");
  });

  it("keeps the API client out of the root entry", async () => {
    const out = await run(
      process.execPath,
      ["--input-type=module", "-e", "const m = await import('@bentolabs/sdk'); console.log('createClient' in m)"],
      { cwd: root },
    );
    expect(out.stdout.trim()).toBe("false");
  });

  it("declares an executable ESM bin with a shebang", () => {
    expect(pkg.bin).toEqual({ bentolabs: "dist/cli.js" });
    expect(readFileSync(`${root}dist/cli.js`, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
  });
});
