import { open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";

/** Thrown when another live dev server already uses the data dir. */
export class DataDirLockedError extends Error {
  override readonly name = "DataDirLockedError";
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Take `server.pid` in the data dir. The embedded database must have a single writer process;
 * a lock left by a crashed server (dead pid) is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<{ release(): Promise<void> }> {
  const path = join(dataDir, "server.pid");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(path, "wx", 0o600);
      await fh.writeFile(String(process.pid));
      await fh.close();
      return { release: () => rm(path, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = Number((await readFile(path, "utf8").catch(() => "")).trim());
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        throw new DataDirLockedError(
          `Another dev server (pid ${pid}) is using ${dataDir}. Stop it, or pass a different --data-dir ` +
            `(if no server is running, delete ${path}).`,
        );
      }
      await rm(path, { force: true });
    }
  }
  throw new DataDirLockedError(`Could not lock ${dataDir}`);
}
