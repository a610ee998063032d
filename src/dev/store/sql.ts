/**
 * The small SQL surface the dev server needs, implemented by PGlite (embedded, default) and by a
 * real PostgreSQL server through `pg` (`--database-url`). Queries use `$1` placeholders; every
 * 64-bit value is selected as text so both drivers return the same JS types.
 */
export interface SqlRunner {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Run several `;`-separated statements without parameters (migrations). */
  exec(text: string): Promise<void>;
  /**
   * Run `sql`, a `COPY … FROM STDIN`, with `data` (text COPY format) as its input; resolves to the
   * rows copied. Only where the driver speaks COPY (PostgreSQL through `pg`, in a transaction).
   */
  copyFrom?(sql: string, data: string): Promise<number>;
}

export interface SqlDatabase extends SqlRunner {
  /** Run `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Human-readable description for start-up output (never contains a password). */
  readonly description: string;
  /** Its transactions offer {@link SqlRunner.copyFrom}. */
  readonly copies?: boolean;
}
