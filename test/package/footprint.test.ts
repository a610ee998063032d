import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installedPackages, type PackedInstall, packAndInstall, run, treeSize } from "./packed.js";

const MiB = 1024 * 1024;
const ENTRY_POINTS = {
  "@bentolabs/sdk": ["init", "trackAi", "begin", "toolSpan", "flush", "BentoAuthError"],
  "@bentolabs/sdk/api": ["createClient", "BentoApiError", "BentoValidationError", "BentoAuthError"],
  "@bentolabs/sdk/testing": ["capture", "expectSpan", "renderTree"],
  "@bentolabs/sdk/dev": ["startDevServer", "buildSpanTree", "renderSpanTree"],
} as const;

let packed: PackedInstall;

beforeAll(async () => {
  packed = await packAndInstall();
}, 240_000);

afterAll(async () => {
  await packed?.remove();
});

/** Run `source` with node inside the consumer project, as ESM or CommonJS. */
async function inApp(source: string, type: "module" | "commonjs"): Promise<string> {
  const body = type === "module" ? source : `(async () => { ${source} })().catch((e) => { console.error(e); process.exit(1); })`;
  const { stdout } = await run(process.execPath, [`--input-type=${type}`, "-e", body], { cwd: packed.app });
  return stdout.trim();
}

describe("production install of the packed package (npm install <tarball> --omit=dev)", () => {
  it("takes at most 20 MiB on disk and installs no database engine", async () => {
    const size = await treeSize(join(packed.app, "node_modules"));
    // printed so that a reviewer sees the margin left under the budget
    console.log(`production install: ${(size.disk / MiB).toFixed(1)} MiB on disk, ${(size.apparent / MiB).toFixed(1)} MiB of files`);
    expect(size.disk).toBeLessThanOrEqual(20 * MiB);
    const paths = await readdir(join(packed.app, "node_modules"), { recursive: true });
    expect(paths.filter((p) => /pglite|(^|[\\/])pg([\\/]|$)/.test(p))).toEqual([]);
    expect(await installedPackages(packed.app)).toEqual([
      "@bentolabs/sdk",
      "@opentelemetry/api",
      "@opentelemetry/context-async-hooks",
      "@opentelemetry/core",
      "@opentelemetry/resources",
      "@opentelemetry/sdk-trace",
      "@opentelemetry/sdk-trace-base",
      "@opentelemetry/semantic-conventions",
    ]);
  });

  for (const type of ["module", "commonjs"] as const) {
    const load = (spec: string) => (type === "module" ? `await import(${JSON.stringify(spec)})` : `require(${JSON.stringify(spec)})`);

    it(`loads every entry point through ${type === "module" ? "import" : "require"}`, async () => {
      const lines = Object.entries(ENTRY_POINTS).map(
        ([spec, names]) =>
          `{ const m = ${load(spec)}; out[${JSON.stringify(spec)}] = ${JSON.stringify(names)}.filter((n) => typeof m[n] !== "function"); }`,
      );
      const out = JSON.parse(await inApp(`const out = {}; ${lines.join("\n")} console.log(JSON.stringify(out));`, type));
      expect(out).toEqual(Object.fromEntries(Object.keys(ENTRY_POINTS).map((spec) => [spec, []])));
    });

    it(`shares one class per error across entry points through ${type === "module" ? "import" : "require"}`, async () => {
      const source = `
        const root = ${load("@bentolabs/sdk")};
        const api = ${load("@bentolabs/sdk/api")};
        let thrown;
        try { api.createClient({ env: {} }); } catch (e) { thrown = e; }
        console.log(JSON.stringify({
          sameAuth: root.BentoAuthError === api.BentoAuthError,
          sameConfig: root.BentoConfigError === api.BentoConfigError,
          apiThrowsRootClass: thrown instanceof root.BentoAuthError,
          code: thrown && thrown.code,
        }));`;
      expect(JSON.parse(await inApp(source, type))).toEqual({
        sameAuth: true,
        sameConfig: true,
        apiThrowsRootClass: true,
        code: "missing_api_key",
      });
    });
  }

  it("defines each class once per module format, in a chunk every entry point shares", async () => {
    const dist = join(packed.app, "node_modules", "@bentolabs", "sdk", "dist");
    // dist/edge is a separate self-contained bundle for edge runtimes, never loaded beside these.
    const files = (await readdir(dist, { recursive: true })).filter((f) => /\.c?js$/.test(f) && !f.startsWith("edge"));
    const definitions = new Map<string, string[]>();
    for (const file of files) {
      const text = await readFile(join(dist, file), "utf8");
      for (const [, declared, assigned] of text.matchAll(/\b(?:class (\w+)|(\w+) = class) extends\b/g)) {
        const key = `${declared ?? assigned} (${file.endsWith(".cjs") ? "cjs" : "esm"})`;
        definitions.set(key, [...(definitions.get(key) ?? []), file]);
      }
    }
    expect(definitions.get("BentoAuthError (esm)")).toHaveLength(1);
    expect(definitions.get("BentoAuthError (cjs)")).toHaveLength(1);
    expect([...definitions].filter(([, where]) => where.length > 1)).toEqual([]);
  });

  it("runs bentolabs dev on a machine with nothing else installed: the engine is installed on first use", {
    timeout: 240_000,
  }, async () => {
    const cacheDir = join(packed.root, "cache");
    const child = spawn(
      join(packed.app, "node_modules", ".bin", "bentolabs"),
      ["dev", "--port", "0", "--data-dir", join(packed.root, "data")],
      {
        cwd: packed.app,
        env: { ...process.env, BENTOLABS_CACHE_DIR: cacheDir },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (d) => {
        stdout += d;
        // the banner can arrive in several chunks: wait for its last line
        const m = /listening on (http:\/\/\S+)[\s\S]*Press Ctrl-C to stop/.exec(stdout);
        if (m?.[1]) resolve(m[1]);
      });
      void exited.then((code) => reject(new Error(`bentolabs dev exited with ${code}\n${stdout}\n${stderr}`)));
    });
    try {
      expect(stderr).toMatch(/installing its database engine @electric-sql\/pglite@\S+ .* into /);
      expect(stdout).toMatch(/storage: +PGlite \(embedded PostgreSQL\)/);
      expect(existsSync(join(cacheDir, "engines"))).toBe(true);
      expect((await fetch(`${url}/`)).status).toBe(200);
    } finally {
      child.kill("SIGINT");
    }
    expect(await exited).toBe(0);
  });
});
