import { type CopyClient, copyFrom } from "./pg-copy.js";
import { type SqlDatabase, type SqlRunner, sqlParams } from "./sql.js";

/** Thrown when `--database-url` is used but the optional `pg` package is not installed. */
export class MissingPgDriverError extends Error {
  override readonly name = "MissingPgDriverError";
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
  return {
    ...runner(pool),
    description: describeDatabaseUrl(url),
    copies: true,
    async transaction(fn) {
      const c = await pool.connect();
      try {
        await c.query("begin");
        const out = await fn({ ...runner(c), copyFrom: (sql, data) => copyFrom(c as unknown as CopyClient, sql, data) });
        await c.query("commit");
        return out;
      } catch (err) {
        await c.query("rollback").catch(() => undefined);
        throw err;
      } finally {
        c.release();
      }
    },
    async copyTransaction(statements, data) {
      const c = await pool.connect();
      try {
        await copyFrom(c as unknown as CopyClient, `begin; ${statements}; commit`, data);
      } catch (err) {
        // statements after the failed one did not run, the commit among them; a connection that
        // cannot roll back is not given back to the pool
        const broken = await c.query("rollback").then(
          () => undefined,
          (e: unknown) => e as Error,
        );
        c.release(broken);
        throw err;
      }
      c.release();
    },
    close: () => pool.end(),
  };
}
