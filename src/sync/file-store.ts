import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { emptySyncData, MemorySyncStore, type SyncData } from "./store.js";

/**
 * The sync store on disk: one JSON document in `<dataDir>/sync/state.json`, directory 0700 and
 * file 0600 because it holds Langfuse secret keys. Writes are atomic (temp file + rename) and
 * serialized, so a crash leaves either the old or the new document, never half of one.
 */
export class FileSyncStore extends MemorySyncStore {
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    data: SyncData,
    private readonly dir: string,
  ) {
    super(data);
  }

  get path(): string {
    return join(this.dir, "state.json");
  }

  static async open(dataDir: string): Promise<FileSyncStore> {
    const dir = join(dataDir, "sync");
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
    let data = emptySyncData();
    try {
      const parsed = JSON.parse(await readFile(join(dir, "state.json"), "utf8")) as Partial<SyncData>;
      data = { ...data, ...parsed };
      await chmod(join(dir, "state.json"), 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    return new FileSyncStore(data, dir);
  }

  protected override changed(): Promise<void> {
    const snapshot = JSON.stringify(this.data);
    const tmp = `${this.path}.${process.pid}.tmp`;
    this.writing = this.writing
      .catch(() => undefined)
      .then(async () => {
        await writeFile(tmp, snapshot, { mode: 0o600 });
        await rename(tmp, this.path);
      });
    return this.writing;
  }
}
