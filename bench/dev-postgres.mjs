// The throwaway PostgreSQL server of `npm run bench:dev` (default durability settings, fsync on),
// and the baseline's own COPY.
import { PostgresNotInstalledError, startPostgres as start } from "../scripts/throwaway-postgres.mjs";

/** Start PostgreSQL, or resolve to `{ skipped }` (the reason) when it or the pg package is not installed. */
export async function startPostgres() {
  try {
    return await start({ fsync: true });
  } catch (err) {
    if (err instanceof PostgresNotInstalledError) return { skipped: "PostgreSQL server binaries not found (apt-get install postgresql)" };
    if (err?.code === "ERR_MODULE_NOT_FOUND") return { skipped: "the pg package is not installed" };
    throw err;
  }
}

/**
 * `COPY <table> FROM STDIN` of `text` (text COPY format) on a `pg` client or pool, through pg's
 * "submittable" query hooks (the bench's own copy of what src/dev/store/pg-copy.ts does, so the
 * baseline does not go through the code it is compared with). Resolves when committed.
 */
export function copyIn(queryable, table, text) {
  return new Promise((resolve, reject) => {
    queryable.query({
      submit(connection) {
        connection.query(`copy ${table} from stdin`);
      },
      handleCopyInResponse(connection) {
        connection.sendCopyFromChunk(Buffer.from(text, "utf8"));
        connection.endCopyFrom();
      },
      handleError: reject,
      handleReadyForQuery: resolve,
      handleCommandComplete() {},
      handleRowDescription() {},
      handleDataRow() {},
      handleEmptyQuery() {},
      handlePortalSuspended() {},
      handleCopyData() {},
    });
  });
}
