import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";
import pkg from "../../../package.json" with { type: "json" };
import { type EngineInstaller, installEngine } from "./engine-install.js";

/** The embedded database engine's module (PGlite), as `bentolabs dev` uses it. */
export type PgliteModule = typeof import("@electric-sql/pglite");

export const ENGINE_PACKAGE = "@electric-sql/pglite";

/**
 * The engine's version range: the optional peer dependency declared in package.json, so the
 * package manager (when the app installs it itself) and the on-demand install agree.
 */
export const ENGINE_RANGE: string = (pkg as { peerDependencies?: Record<string, string> }).peerDependencies?.[ENGINE_PACKAGE] ?? "latest";

export interface LoadEngineOptions {
  /** Where on-demand installs go. Default: {@link defaultCacheDir}. */
  cacheDir?: string;
  /** Load the engine as the SDK's own module resolution finds it (the app's or repo's node_modules). */
  importInstalled?: () => Promise<PgliteModule>;
  /** Install `spec` into `dir` (which holds a package.json); default runs `npm install`. */
  install?: EngineInstaller;
  /** One line telling the user an install is starting. Default: stderr. */
  notice?: (line: string) => void;
}

/**
 * Where `bentolabs dev` keeps its on-demand database engine: `$BENTOLABS_CACHE_DIR`, else the
 * platform's per-user cache (`~/.cache/bentolabs`, `~/Library/Caches/bentolabs`, `%LOCALAPPDATA%\bentolabs`).
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, platform: string = process.platform): string {
  if (env.BENTOLABS_CACHE_DIR) return env.BENTOLABS_CACHE_DIR;
  if (platform === "win32" && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, "bentolabs", "Cache");
  if (platform === "darwin") return join(homedir(), "Library", "Caches", "bentolabs");
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "bentolabs");
}

/** The directory one engine range is installed into, e.g. `<cache>/engines/pglite-0.5.16`. */
export function engineDir(cacheDir: string, range: string = ENGINE_RANGE): string {
  return join(cacheDir, "engines", `pglite-${range.replace(/[^\w.-]/g, "")}`);
}

/** True when `err` says the engine package itself could not be found (not one of its files). */
function isEngineMissing(err: unknown): boolean {
  const e = err as NodeJS.ErrnoException | undefined;
  return (
    (e?.code === "ERR_MODULE_NOT_FOUND" || e?.code === "MODULE_NOT_FOUND") &&
    typeof e.message === "string" &&
    e.message.includes(ENGINE_PACKAGE)
  );
}

function requireFrom(dir: string): PgliteModule {
  return createRequire(join(dir, "package.json"))(ENGINE_PACKAGE) as PgliteModule;
}

/** The cached engine's directory, installing the engine there first when it is not yet. */
async function ensureCached(opts: LoadEngineOptions): Promise<string> {
  const dir = engineDir(opts.cacheDir ?? defaultCacheDir());
  if (existsSync(join(dir, "node_modules", ENGINE_PACKAGE))) return dir;
  const notice = opts.notice ?? ((line: string) => process.stderr.write(`${line}\n`));
  notice(`bentolabs dev: installing its database engine ${ENGINE_PACKAGE}@${ENGINE_RANGE} (about 27 MB, first run only) into ${dir}`);
  try {
    await installEngine({ dir, spec: `${ENGINE_PACKAGE}@${ENGINE_RANGE}` }, opts.install);
  } catch (err) {
    throw new Error(
      `the embedded database engine ${ENGINE_PACKAGE} is not installed and installing it into ${dir} failed ` +
        `(${(err as Error).message}). Install it next to the SDK (npm install ${ENGINE_PACKAGE}), ` +
        "or use a PostgreSQL server with --database-url.",
      { cause: err },
    );
  }
  return dir;
}

/**
 * Find the embedded database engine, installing it on first use. The SDK's production install does
 * not carry it (it is ~27 MB and only `bentolabs dev` uses it), so, in order:
 * 1. the engine the app (or this repository) installed itself, as an optional peer dependency;
 * 2. a copy installed earlier into the user's cache;
 * 3. `npm install` of {@link ENGINE_RANGE} into that cache (one line on stderr says so), then 2.
 * Fails with a message naming the two ways out when none of these works.
 */
export async function loadPglite(opts: LoadEngineOptions = {}): Promise<PgliteModule> {
  const importInstalled = opts.importInstalled ?? (() => import("@electric-sql/pglite"));
  try {
    return await importInstalled();
  } catch (err) {
    if (!isEngineMissing(err)) throw err;
  }
  return requireFrom(await ensureCached(opts));
}

/**
 * The file a worker thread loads the engine from (`require()`-able), found the same way as
 * {@link loadPglite}: the app's own install, else the user's cache (installing it there first).
 */
export async function locatePglite(opts: LoadEngineOptions & { resolveInstalled?: () => string } = {}): Promise<string> {
  const resolveInstalled = opts.resolveInstalled ?? (() => createRequire(import.meta.url).resolve(ENGINE_PACKAGE));
  try {
    return resolveInstalled();
  } catch (err) {
    if (!isEngineMissing(err)) throw err;
  }
  return createRequire(join(await ensureCached(opts), "package.json")).resolve(ENGINE_PACKAGE);
}

/**
 * The file of PGlite's contrib `pg_trgm` extension in the same install as the engine file at
 * `enginePath` (see {@link locatePglite}), or undefined when that install has none.
 */
export function locateTrigramExtension(enginePath: string): string | undefined {
  try {
    return createRequire(enginePath).resolve(`${ENGINE_PACKAGE}/contrib/pg_trgm`);
  } catch {
    return undefined;
  }
}

/** PGlite's contrib `pg_trgm` extension (trigram indexes behind run search), as PGlite.create takes it. */
export type TrigramExtension = typeof import("@electric-sql/pglite/contrib/pg_trgm").pg_trgm;

/**
 * The `pg_trgm` extension from the same place {@link loadPglite} found the engine, or undefined
 * when it cannot be loaded (search then scans instead of using its index; see docs/dev-server.md).
 */
export async function loadTrigramExtension(opts: { cacheDir?: string } = {}): Promise<TrigramExtension | undefined> {
  try {
    return (await import("@electric-sql/pglite/contrib/pg_trgm")).pg_trgm;
  } catch {
    try {
      const dir = engineDir(opts.cacheDir ?? defaultCacheDir());
      const mod = createRequire(join(dir, "package.json"))(`${ENGINE_PACKAGE}/contrib/pg_trgm`) as { pg_trgm: TrigramExtension };
      return mod.pg_trgm;
    } catch {
      return undefined;
    }
  }
}

/**
 * Settings the dev server starts PGlite with, on top of PGlite's own start parameters.
 * `wal_init_zero=off`: a new 16 MB WAL segment is not first filled with zeros. Under ingest a
 * segment fills every ~9,000 spans, and zero-filling it through the engine's file layer stalled
 * one write for 80-170 ms each time (PostgreSQL documents the setting for file systems where the
 * zeros buy nothing; WAL still reaches the file before a commit is acknowledged).
 */
export const PGLITE_SETTINGS: readonly string[] = ["wal_init_zero=off"];

/**
 * PGlite's `startParams` with {@link PGLITE_SETTINGS} added, or undefined for an engine that does
 * not publish its defaults (it then starts with its own, and only misses the saving).
 */
export function pgliteStartParams(PGliteClass: unknown): string[] | undefined {
  const defaults = (PGliteClass as { defaultStartParams?: unknown }).defaultStartParams;
  if (!Array.isArray(defaults) || !defaults.every((p) => typeof p === "string")) return undefined;
  return [...defaults, ...PGLITE_SETTINGS.flatMap((setting) => ["-c", setting])];
}
