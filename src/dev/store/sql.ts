/**
 * The small SQL surface the dev server needs, implemented by PGlite (embedded, default) and by a
 * real PostgreSQL server through `pg` (`--database-url`). Queries use `$1` placeholders; every
 * 64-bit value is selected as text so both drivers return the same JS types.
 */
export interface SqlRunner {
  /** `params` may hold {@link JsonArrayText}s: a driver that takes strings only sends {@link sqlParams}. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Run several `;`-separated statements without parameters (migrations). */
  exec(text: string): Promise<void>;
  /**
   * Run `sql`, a `COPY … FROM STDIN`, with `data` (text COPY format) as its input; resolves to the
   * rows copied. Only where the driver speaks COPY (PostgreSQL through `pg`, in a transaction).
   */
  copyFrom?(sql: string, data: string): Promise<number>;
  /**
   * In a transaction: `query` whose empty answer ends the transaction, committed together with
   * the statement (the engine thread then saves a round trip to this thread). After an empty
   * answer nothing more may run in the transaction; a non-empty one leaves it open. Where absent,
   * use `query` (the transaction commits when its callback resolves).
   */
  queryCommitIfEmpty?<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

export interface SqlDatabase extends SqlRunner {
  /** Run `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Human-readable description for start-up output (never contains a password). */
  readonly description: string;
  /** Its transactions offer {@link SqlRunner.copyFrom}, and it has {@link SqlDatabase.copyTransaction}. */
  readonly copies?: boolean;
  /**
   * Run `statements` (`;`-separated, values inlined as {@link sqlLiteral}s) as one transaction in a
   * single round trip, `data` (text COPY format) feeding their one `COPY … FROM STDIN`: committed
   * when it resolves, rolled back when it rejects (with the server's error). Where {@link copies}.
   */
  copyTransaction?(statements: string, data: string): Promise<void>;
}

/**
 * `text` as a PostgreSQL escape-string literal (`E'…'`: quote and backslash escaped), read the
 * same whatever `standard_conforming_strings` is. `text` must hold no NUL (see jsonWithoutNul).
 */
export const sqlLiteral = (text: string): string => `E'${text.replace(/['\\]/g, (c) => c + c)}'`;

/**
 * A JSON array's text, given as the texts of its elements. Where the driver can write pieces (the
 * engine thread's statement encoder) it is sent without first building one large string: a
 * 512-span batch's ~750 KB of JSON built as one string cost ~3 ms more on the main thread (V8
 * builds it as a rope, flattened on first read) than writing the rows' own texts one by one.
 * Other drivers get {@link sqlParams}' plain string.
 */
export class JsonArrayText {
  constructor(readonly elements: readonly string[]) {}
  toString(): string {
    return `[${this.elements.join(",")}]`;
  }
}

/** `params` with every {@link JsonArrayText} as its string, for drivers that take strings. */
export const sqlParams = (params: readonly unknown[]): unknown[] => params.map((p) => (p instanceof JsonArrayText ? p.toString() : p));
