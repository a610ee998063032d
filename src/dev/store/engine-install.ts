import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Install the npm package `spec` into `dir`, a directory holding a package.json. */
export type EngineInstaller = (dir: string, spec: string) => Promise<void>;

const INSTALL_TIMEOUT_MS = 5 * 60_000;

/**
 * How to run npm: the npm that launched us (`npx bentolabs dev`, `npm run …` set `npm_execpath`),
 * else `npm` from PATH.
 */
export function npmCommand(env: NodeJS.ProcessEnv = process.env): { file: string; args: string[]; shell: boolean } {
  const execPath = env.npm_execpath;
  if (execPath && /^np[mx]-cli\.js$/.test(basename(execPath))) {
    return { file: process.execPath, args: [join(dirname(execPath), "npm-cli.js")], shell: false };
  }
  return { file: "npm", args: [], shell: process.platform === "win32" };
}

/**
 * `npm install <spec>` into `dir` from the registry npm is configured with. `--prefer-offline`
 * reuses npm's cache when it already holds the tarball; npm checks the tarball's integrity.
 */
export const npmInstall: EngineInstaller = (dir, spec) => {
  const npm = npmCommand();
  const args = [...npm.args, "install", spec, "--prefix", dir, "--no-save", "--no-package-lock"];
  args.push("--omit=dev", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error");
  return new Promise((resolve, reject) => {
    execFile(npm.file, args, { cwd: dir, shell: npm.shell, timeout: INSTALL_TIMEOUT_MS }, (err, _out, stderr) => {
      if (!err) return resolve();
      const detail = stderr.trim().split("\n").slice(-3).join(" ").trim();
      reject(new Error(`npm install ${spec} exited with ${err.code ?? err.signal ?? "an error"}${detail ? `: ${detail}` : ""}`));
    });
  });
};

/**
 * Install `spec` so that `dir/node_modules` holds it. The install runs in a temporary sibling and
 * is renamed into place, so a crash or a concurrent first run never leaves a half-installed engine.
 */
export async function installEngine(target: { dir: string; spec: string }, install: EngineInstaller = npmInstall): Promise<void> {
  const { dir, spec } = target;
  const packageName = spec.slice(0, spec.lastIndexOf("@"));
  // pid + time + random: two first runs in one process and millisecond must not share a directory
  const tmp = `${dir}.tmp-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  await mkdir(tmp, { recursive: true });
  try {
    await writeFile(join(tmp, "package.json"), '{ "private": true, "description": "bentolabs dev engine cache" }\n');
    await install(tmp, spec);
    if (!existsSync(join(tmp, "node_modules", packageName))) {
      throw new Error(`npm finished but ${packageName} is not in ${join(tmp, "node_modules")}`);
    }
    try {
      await rename(tmp, dir);
    } catch (err) {
      // another first run finished before us: use its install
      if (!existsSync(join(dir, "node_modules", packageName))) throw err;
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
