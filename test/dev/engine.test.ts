import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import {
  defaultCacheDir,
  ENGINE_PACKAGE,
  ENGINE_RANGE,
  engineDir,
  loadPglite,
  locatePglite,
  pgliteStartParams,
} from "../../src/dev/store/engine.js";
import { npmCommand } from "../../src/dev/store/engine-install.js";
import { openPglite } from "../../src/dev/store/pglite.js";
import { freshDataDir } from "./helpers.js";

const REPO_ENGINE = fileURLToPath(new URL("../../node_modules/@electric-sql/pglite", import.meta.url));
const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "bentolabs-engine-"));
  dirs.push(dir);
  return dir;
}

/** The app has no engine installed: resolving it fails the way Node reports a missing package. */
const notInstalled = async (): Promise<never> => {
  throw Object.assign(new Error(`Cannot find package '${ENGINE_PACKAGE}' imported from /app/dist/chunk.js`), {
    code: "ERR_MODULE_NOT_FOUND",
  });
};

/** A real install double: links this repository's engine into the target's node_modules, counting calls. */
function linkingInstaller() {
  const calls: string[] = [];
  const install = async (dir: string, spec: string) => {
    calls.push(spec);
    await mkdir(join(dir, "node_modules", "@electric-sql"), { recursive: true });
    await symlink(REPO_ENGINE, join(dir, "node_modules", ENGINE_PACKAGE), "dir");
  };
  return { calls, install };
}

describe("the dev server's database engine loader", () => {
  it("declares the engine as an optional peer that matches the repository's dev copy", () => {
    expect(pkg.dependencies[ENGINE_PACKAGE]).toBeUndefined();
    expect(pkg.peerDependencies[ENGINE_PACKAGE]).toBe(ENGINE_RANGE);
    expect(pkg.peerDependenciesMeta[ENGINE_PACKAGE]).toEqual({ optional: true });
    expect(pkg.devDependencies[ENGINE_PACKAGE]).toBe(ENGINE_RANGE);
  });

  it("uses the engine the app installed without installing anything", async () => {
    const { calls, install } = linkingInstaller();
    const mod = await loadPglite({ cacheDir: await tempDir(), install, notice: () => undefined });
    expect(typeof mod.PGlite).toBe("function");
    expect(calls).toEqual([]);
  });

  it("installs the engine into the cache once, says so in one line, and reuses it afterwards", async () => {
    const cacheDir = await tempDir();
    const { calls, install } = linkingInstaller();
    const notices: string[] = [];
    const opts = { cacheDir, install, importInstalled: notInstalled, notice: (l: string) => notices.push(l) };
    const first = await loadPglite(opts);
    const second = await loadPglite(opts);
    expect(typeof first.PGlite).toBe("function");
    expect(second.PGlite).toBe(first.PGlite);
    expect(calls).toEqual([`${ENGINE_PACKAGE}@${ENGINE_RANGE}`]);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`${ENGINE_PACKAGE}@${ENGINE_RANGE}`);
    expect(notices[0]).toContain(engineDir(cacheDir));
    expect(await readdir(join(cacheDir, "engines"))).toEqual([`pglite-${ENGINE_RANGE.replace(/[^\w.-]/g, "")}`]);
  });

  it("locates the engine file for the worker thread: the app's own install, else the cache (installed once)", async () => {
    const { calls, install } = linkingInstaller();
    const own = await locatePglite({ cacheDir: await tempDir(), install, notice: () => undefined });
    expect(own.startsWith(REPO_ENGINE)).toBe(true);
    expect(calls).toEqual([]);
    const cacheDir = await tempDir();
    const missing = () => {
      throw Object.assign(new Error(`Cannot find module '${ENGINE_PACKAGE}'`), { code: "MODULE_NOT_FOUND" });
    };
    const cached = await locatePglite({ cacheDir, install, resolveInstalled: missing, notice: () => undefined });
    // installed into the cache (a link to this repository's copy here), and loadable from there
    expect(calls).toEqual([`${ENGINE_PACKAGE}@${ENGINE_RANGE}`]);
    expect(existsSync(join(engineDir(cacheDir), "node_modules", ENGINE_PACKAGE))).toBe(true);
    expect(typeof (await import(cached)).PGlite).toBe("function");
    await locatePglite({ cacheDir, install, resolveInstalled: missing, notice: () => undefined });
    expect(calls).toHaveLength(1);
  });

  it("lets concurrent first runs both succeed, leaving one install and no temporary directories", async () => {
    const cacheDir = await tempDir();
    const { calls, install } = linkingInstaller();
    const opts = { cacheDir, install, importInstalled: notInstalled, notice: () => undefined };
    const [a, b] = await Promise.all([loadPglite(opts), loadPglite(opts)]);
    expect(a.PGlite).toBe(b.PGlite);
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(await readdir(join(cacheDir, "engines"))).toHaveLength(1);
  });

  it("explains the two ways out when the install fails, leaving nothing half-installed", async () => {
    const cacheDir = await tempDir();
    const install = async () => {
      throw new Error("npm install exited with 1: npm error code ENOTFOUND");
    };
    const load = loadPglite({ cacheDir, install, importInstalled: notInstalled, notice: () => undefined });
    await expect(load).rejects.toThrow(
      /is not installed and installing it into .* failed \(npm install exited with 1: npm error code ENOTFOUND\)/,
    );
    await expect(load).rejects.toThrow(`npm install ${ENGINE_PACKAGE}`);
    await expect(load).rejects.toThrow("--database-url");
    expect(existsSync(join(cacheDir, "engines")) ? await readdir(join(cacheDir, "engines")) : []).toEqual([]);
  });

  it("rejects an install that finishes without the engine", async () => {
    const load = loadPglite({
      cacheDir: await tempDir(),
      install: async () => undefined,
      importInstalled: notInstalled,
      notice: () => undefined,
    });
    await expect(load).rejects.toThrow(/npm finished but @electric-sql\/pglite is not in/);
  });

  it("passes on an installed engine's own load errors instead of installing another copy", async () => {
    const { calls, install } = linkingInstaller();
    const broken = async (): Promise<never> => {
      throw Object.assign(new Error("Cannot find module './postgres.wasm'"), { code: "MODULE_NOT_FOUND" });
    };
    await expect(loadPglite({ cacheDir: await tempDir(), install, importInstalled: broken })).rejects.toThrow("postgres.wasm");
    expect(calls).toEqual([]);
  });

  it("starts the engine, in its thread or in this one, with the dev server's settings on top of PGlite's own", async () => {
    for (const thread of [true, false]) {
      const db = await openPglite(`${await freshDataDir()}/db`, { thread });
      try {
        expect(await db.query("show wal_init_zero")).toEqual([{ wal_init_zero: "off" }]);
        // PGlite's own parameters are kept
        expect(await db.query("show search_path")).toEqual([{ search_path: "public" }]);
      } finally {
        await db.close();
      }
    }
    // an engine that does not publish its defaults starts with its own
    expect(pgliteStartParams(class {})).toBeUndefined();
    expect(pgliteStartParams({ defaultStartParams: ["--single"] })).toEqual(["--single", "-c", "wal_init_zero=off"]);
  });

  it("keeps its cache in BENTOLABS_CACHE_DIR, else the platform's per-user cache", () => {
    expect(defaultCacheDir({ BENTOLABS_CACHE_DIR: "/c" }, "linux")).toBe("/c");
    expect(defaultCacheDir({ XDG_CACHE_HOME: "/x" }, "linux")).toBe(join("/x", "bentolabs"));
    expect(defaultCacheDir({}, "darwin")).toMatch(/Library[\\/]Caches[\\/]bentolabs$/);
    expect(defaultCacheDir({ LOCALAPPDATA: "C:\\Users\\a\\AppData\\Local" }, "win32")).toContain(join("bentolabs", "Cache"));
  });

  it("runs the npm that launched it (npx or npm run), else npm from PATH", () => {
    const viaNpx = npmCommand({ npm_execpath: "/usr/lib/node_modules/npm/bin/npx-cli.js" });
    expect(viaNpx.args).toEqual([join("/usr/lib/node_modules/npm/bin", "npm-cli.js")]);
    expect(viaNpx.file).toBe(process.execPath);
    expect(npmCommand({ npm_execpath: "/usr/local/bin/pnpm.cjs" }).file).toBe("npm");
    expect(npmCommand({}).file).toBe("npm");
  });
});
