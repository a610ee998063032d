/**
 * `COPY … FROM STDIN` through the `pg` driver's own protocol hooks (a "submittable" query, the
 * interface pg-cursor and pg-copy-streams use), so the bulk path needs no extra package. Rows go as
 * PostgreSQL's text COPY format, which the server parses far faster than JSON or bind parameters.
 */

/** What `pg` calls on the query it is running (`Client.query(submittable)`); only COPY's part is used. */
interface PgConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
}

/** The `pg` client (or pool client) a COPY runs on. */
export interface CopyClient {
  query(submittable: object): unknown;
}

const CHUNK_BYTES = 1 << 20;

/**
 * Run `sql` (a `COPY … FROM STDIN` statement, or a simple-query string of statements holding one) on
 * `client`, streaming `data` (text COPY format) as the copied rows. Resolves with the number of rows
 * copied; rejects with the server's error (the statements after a failed one are not run).
 *
 * The data is sent right behind the query, without waiting for the server's CopyInResponse: that
 * wait was one more round trip through this process's event loop, busy decoding other requests
 * (dev server on PostgreSQL, 2 cores: ~15,500 → ~18,800 spans/s). The protocol allows it: the
 * server reads the data once the COPY starts, and drops CopyData/CopyDone that arrive outside a
 * COPY, e.g. after a statement before it failed (PostgreSQL's protocol docs, "COPY Operations").
 */
export function copyFrom(client: CopyClient, sql: string, data: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let rows = 0;
    client.query({
      submit(connection: PgConnection) {
        connection.query(sql);
        // the rows follow at once (see above); CopyInResponse then needs no answer
        const bytes = Buffer.from(data, "utf8");
        for (let i = 0; i < bytes.length; i += CHUNK_BYTES) connection.sendCopyFromChunk(bytes.subarray(i, i + CHUNK_BYTES));
        connection.endCopyFrom();
      },
      handleCopyInResponse() {},
      handleCommandComplete(msg: { text?: string }) {
        if (msg.text?.startsWith("COPY")) rows = Number(/\d+$/.exec(msg.text)?.[0] ?? 0);
      },
      // Settled here, not at ReadyForQuery: on an error message `pg` drops its active query before
      // calling this, so the ReadyForQuery that follows reaches no one (pg's own queries do the same).
      // The client still waits for it before sending its next query.
      handleError(err: Error) {
        reject(err);
      },
      handleReadyForQuery() {
        resolve(rows);
      },
      // not sent for COPY FROM; present because pg may call them on any active query
      handleRowDescription() {},
      handleDataRow() {},
      handleEmptyQuery() {},
      handlePortalSuspended() {},
      handleCopyData() {},
    });
  });
}

const NEEDS_ESCAPE = /[\\\n\r\t\0]/;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\0": "\uFFFD" };

/**
 * One field in text COPY format: `\N` for null; backslash, newline, carriage return and tab escaped;
 * NUL (which PostgreSQL text cannot hold) becomes U+FFFD, as on the JSON path.
 */
export function copyField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return "\\N";
  const s = typeof v === "string" ? v : String(v);
  return NEEDS_ESCAPE.test(s) ? s.replace(/[\\\n\r\t\0]/g, (c) => ESCAPES[c]!) : s;
}
