import { execFile } from "node:child_process";
import { lstat, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const run = promisify(execFile);

export interface PackedInstall {
  /** The temporary root: `app/` (the consumer project), the tarball, and scratch space. */
  readonly root: string;
  readonly app: string;
  remove(): Promise<void>;
}

/**
 * What a production user gets: `npm pack` of the built dist (scripts skipped, so dist/ is what the
 * suite built), then `npm install <tarball> --omit=dev` into an empty project. `--prefer-offline`
 * takes the dependencies from npm's cache, which `npm ci` has filled; only npm's registry is asked otherwise.
 */
export async function packAndInstall(): Promise<PackedInstall> {
  const root = await mkdtemp(join(tmpdir(), "bentolabs-packed-"));
  const app = join(root, "app");
  await mkdir(app);
  const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", root], { cwd: ROOT });
  const [tarball] = JSON.parse(stdout) as Array<{ filename: string }>;
  if (!tarball) throw new Error(`npm pack printed no tarball: ${stdout}`);
  await writeFile(join(app, "package.json"), '{ "name": "consumer", "private": true }\n');
  const flags = ["--omit=dev", "--prefer-offline", "--no-audit", "--no-fund", "--no-package-lock"];
  await run("npm", ["install", join(root, tarball.filename), ...flags], { cwd: app, timeout: 180_000 });
  return { root, app, remove: () => rm(root, { recursive: true, force: true }) };
}

/** Bytes a directory tree takes: `disk` counts allocated blocks (what `du` shows), `apparent` file sizes. */
export async function treeSize(dir: string): Promise<{ disk: number; apparent: number }> {
  let disk = 0;
  let apparent = 0;
  for (const entry of await readdir(dir, { recursive: true })) {
    const st = await lstat(join(dir, entry));
    disk += st.blocks * 512;
    if (st.isFile()) apparent += st.size;
  }
  return { disk, apparent };
}

/** Every directory name under `node_modules`, scoped ones as `@scope/name`. */
export async function installedPackages(app: string): Promise<string[]> {
  const top = await readdir(join(app, "node_modules"));
  const names: string[] = [];
  for (const name of top.filter((n) => !n.startsWith("."))) {
    if (!name.startsWith("@")) names.push(name);
    else for (const sub of await readdir(join(app, "node_modules", name))) names.push(`${name}/${sub}`);
  }
  return names.sort();
}
