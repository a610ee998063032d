import { mkdir } from "node:fs/promises";
import { loadPglite, loadTrigramExtension, locatePglite, pgliteStartParams } from "./engine.js";
import { openPgliteThread } from "./pglite-thread.js";
import { type SqlDatabase, type SqlRunner, sqlParams } from "./sql.js";

/**
 * Open (creating on first use) the embedded PGlite database in `dir`. PGlite is PostgreSQL
 * compiled to WASM: no native build at install time, and the data directory is a regular
 * PostgreSQL cluster on disk that survives restarts. First creation takes a few seconds (initdb).
 * The engine is not a dependency of the SDK: {@link loadPglite} finds or installs it on first use.
 *
 * By default the engine runs in its own worker thread (`thread: true`), so its WASM work overlaps
 * with HTTP and JSON decoding on the main thread; `thread: false` runs it in this thread.
 */
export async function openPglite(dir: string, opts: { thread?: boolean } = {}): Promise<SqlDatabase> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (opts.thread ?? true) return openPgliteThread({ dataDir: dir, enginePath: await locatePglite() });
  const { PGlite } = await loadPglite();
  // pg_trgm backs the run search index (migration 3); a database that has the index needs it loaded
  const pg_trgm = await loadTrigramExtension();
  const startParams = pgliteStartParams(PGlite);
  const db = await PGlite.create({
    dataDir: dir,
    ...(pg_trgm ? { extensions: { pg_trgm } } : {}),
    ...(startParams ? { startParams } : {}),
  });
  const runner = (q: { query: typeof db.query; exec: typeof db.exec }): SqlRunner => ({
    async query<T>(text: string, params: unknown[] = []) {
      const result = await q.query<T>(text, sqlParams(params));
      return result.rows;
    },
    async exec(text: string) {
      await q.exec(text);
    },
  });
  return {
    ...runner(db),
    description: `PGlite (embedded PostgreSQL) in ${dir}`,
    transaction: (fn) => db.transaction((tx) => fn(runner(tx))),
    close: () => db.close(),
  };
}
