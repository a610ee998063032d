import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Store } from "./store/index.js";

/** Total size of the regular files under `dir` (0 when it does not exist). */
export async function dirBytes(dir: string): Promise<number> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  let total = 0;
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) total += await dirBytes(path);
    else if (e.isFile()) total += (await stat(path).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

export interface Footprint {
  /** Bytes of the spans and runs tables with their indexes (what retention frees for reuse). */
  table_bytes: number;
  /** Bytes of the embedded database directory (WAL and catalogs included); null with --database-url. */
  disk_bytes: number | null;
  spans: number;
  runs: number;
}

/** The store's footprint; `dbDir` is the embedded database's directory, if any. */
export async function measureFootprint(store: Pick<Store, "footprint">, dbDir: string | undefined): Promise<Footprint> {
  const [f, disk] = await Promise.all([store.footprint(), dbDir ? dirBytes(dbDir) : Promise.resolve(null)]);
  return { table_bytes: f.bytes, disk_bytes: disk, spans: f.spans, runs: f.traces };
}

/** `41.2 MB`: bytes for people. */
export function formatBytes(n: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}
