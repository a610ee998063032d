import { mkdir } from "node:fs/promises";
import { loadPglite, loadTrigramExtension } from "./engine.js";
import type { SqlDatabase, SqlRunner } from "./sql.js";

/**
 * Open (creating on first use) the embedded PGlite database in `dir`. PGlite is PostgreSQL
 * compiled to WASM: no native build at install time, and the data directory is a regular
 * PostgreSQL cluster on disk that survives restarts. First creation takes a few seconds (initdb).
 * The engine is not a dependency of the SDK: {@link loadPglite} finds or installs it on first use.
 */
export async function openPglite(dir: string): Promise<SqlDatabase> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { PGlite } = await loadPglite();
  // pg_trgm backs the run search index (migration 3); a database that has the index needs it loaded
  const pg_trgm = await loadTrigramExtension();
  const db = await PGlite.create({ dataDir: dir, ...(pg_trgm ? { extensions: { pg_trgm } } : {}) });
  const runner = (q: { query: typeof db.query; exec: typeof db.exec }): SqlRunner => ({
    async query<T>(text: string, params: unknown[] = []) {
      const result = await q.query<T>(text, params);
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
