import { type CopyClient, copyFrom } from "./pg-copy.js";
import { type SqlDatabase, type SqlRunner, sqlParams } from "./sql.js";

/** Thrown when `--database-url` is used but the optional `pg` package is not installed. */
export class MissingPgDriverError extends Error {
  override readonly name = "MissingPgDriverError";
}

/**
 * A transaction that could not run because the PostgreSQL server was unreachable, restarting or
 * ended the connection, or aborted the transaction for a reason that passes (deadlock, serialization,
 * disk full, too many connections). Retrying is safe: spans are upserted. The ingest answers 503.
 */
export class DatabaseUnavailableError extends Error {
  override readonly name = "DatabaseUnavailableError";
}

// SQLSTATE classes and codes that pass: connection exception (08), insufficient resources (53: disk
// full, out of memory, too many connections), admin/crash shutdown and "cannot connect now"
// (57P01-03), serialization failure, deadlock.
const TRANSIENT_SQLSTATE = /^(08...|53...|57P0[123]|40001|40P01)$/;
const TRANSIENT_SOCKET = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT"]);
// what `pg` throws itself, without a code, for a connection that ended under it
const LOST_CONNECTION = /Connection terminated|connection error and is not queryable|Client was closed/i;

/** `err` as a {@link DatabaseUnavailableError} when it is one of those, else as it is. */
export function classifyDatabaseError(err: unknown): unknown {
  if (!(err instanceof Error) || err instanceof DatabaseUnavailableError) return err;
  const code = (err as { code?: unknown }).code;
  const transient =
    typeof code === "string" ? TRANSIENT_SQLSTATE.test(code) || TRANSIENT_SOCKET.has(code) : LOST_CONNECTION.test(err.message);
  return transient ? new DatabaseUnavailableError(`PostgreSQL is unavailable: ${err.message}`, { cause: err }) : err;
}

/** Describe a connection URL without its password. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return `PostgreSQL at ${u.toString()}`;
  } catch {
    return "PostgreSQL (unparsable URL)";
  }
}

/**
 * Connect to a real PostgreSQL server with the optional `pg` driver (the scale-up path of the
 * dev server). `pg` is an optional peer dependency: the embedded default never loads it.
 */
export async function openPostgres(url: string): Promise<SqlDatabase> {
  let pg: typeof import("pg");
  try {
    const mod = await import("pg");
    pg = (mod as unknown as { default?: typeof import("pg") }).default ?? mod;
  } catch (cause) {
    throw new MissingPgDriverError("--database-url needs the `pg` package: run `npm install pg`.", { cause });
  }
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  pool.on("error", () => {
    // idle-client errors surface on the next query; never crash the server for them
  });
  const client = await pool.connect().catch((cause: unknown) => {
    void pool.end();
    throw new Error(`Cannot connect to ${describeDatabaseUrl(url)}: ${(cause as Error).message}`, { cause });
  });
  client.release();
  const runner = (q: { query: (text: string, params: unknown[]) => Promise<{ rows: unknown[] }> }): SqlRunner => ({
    async query<T>(text: string, params: unknown[] = []) {
      return (await q.query(text, sqlParams(params))).rows as T[];
    },
    async exec(text: string) {
      await q.query(text, []);
    },
  });
  /**
   * A pooled connection for a transaction. `pg` emits a connection error that arrives between two
   * queries (the server restarted, an admin terminated the backend) as an `error` event on the
   * client, and the pool stops listening while a client is checked out: unhandled, that event
   * crashed the whole dev server. It is kept instead (the next query fails on the dead connection)
   * and the client is destroyed on release rather than pooled again.
   */
  async function checkout() {
    const c = await pool.connect().catch((err: unknown) => {
      throw classifyDatabaseError(err);
    });
    let lost: Error | undefined;
    const onError = (err: Error) => {
      lost = err;
    };
    c.on("error", onError);
    return {
      c,
      release(err?: Error) {
        c.removeListener("error", onError);
        c.release(err ?? lost);
      },
    };
  }
  return {
    ...runner(pool),
    description: describeDatabaseUrl(url),
    copies: true,
    async transaction(fn) {
      const { c, release } = await checkout();
      try {
        await c.query("begin");
        const out = await fn({ ...runner(c), copyFrom: (sql, data) => copyFrom(c as unknown as CopyClient, sql, data) });
        await c.query("commit");
        release();
        return out;
      } catch (err) {
        // a connection that cannot roll back is not given back to the pool
        release(await rollback(c));
        throw classifyDatabaseError(err);
      }
    },
    async copyTransaction(statements, data) {
      const { c, release } = await checkout();
      try {
        await copyFrom(c as unknown as CopyClient, `begin; ${statements}; commit`, data);
      } catch (err) {
        // statements after the failed one did not run, the commit among them
        release(await rollback(c));
        throw classifyDatabaseError(err);
      }
      release();
    },
    close: () => pool.end(),
  };
}

/** Roll back on `c`; resolves to the error when that fails (the connection is then unusable). */
const rollback = (c: { query: (text: string) => Promise<unknown> }): Promise<Error | undefined> =>
  c.query("rollback").then(
    () => undefined,
    (e: unknown) => e as Error,
  );
