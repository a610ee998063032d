import { createServer, type Server } from "node:http";
import { Worker } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { handleIngest } from "../../src/dev/ingest.js";
import type { SpanRow } from "../../src/dev/span-row.js";
import { locatePglite } from "../../src/dev/store/engine.js";
import { createStore, type Store } from "../../src/dev/store/index.js";
import { EngineCrashedError, EngineQueryError, openPgliteThread } from "../../src/dev/store/pglite-thread.js";
import { PGLITE_WORKER_SOURCE } from "../../src/dev/store/pglite-worker-source.js";
import { JsonArrayText, type SqlDatabase } from "../../src/dev/store/sql.js";
import { freshDataDir, otlpBody, otlpSpan, spanId, spanRow, traceId } from "./helpers.js";

const closers: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** PGlite in a worker thread on a fresh data directory; `spawned` sees every worker it starts. */
async function threadDb(spawned: (w: Worker) => void): Promise<SqlDatabase> {
  return openPgliteThread({
    dataDir: `${await freshDataDir()}/db`,
    enginePath: await locatePglite(),
    spawn: (workerData) => {
      const w = new Worker(PGLITE_WORKER_SOURCE, { eval: true, workerData });
      spawned(w);
      return w;
    },
  });
}

/** A thread database that records the operation of every message sent to its worker, closed after the file. */
async function countedThreadDb(): Promise<{ db: SqlDatabase; ops: string[] }> {
  const ops: string[] = [];
  const db = await threadDb((w) => {
    const post = w.postMessage.bind(w);
    w.postMessage = (m: { op: string }, transfer?: readonly unknown[]) => (ops.push(m.op), post(m, transfer as never));
  });
  closers.push(() => db.close());
  return { db, ops };
}

/** A store on PGlite in a worker thread, keeping every worker it spawns so a test can kill one. */
async function threadStore(): Promise<{ store: Store; db: SqlDatabase; workers: Worker[] }> {
  const workers: Worker[] = [];
  const db = await threadDb((w) => workers.push(w));
  const store = await createStore(db, "local");
  closers.push(() => store.close());
  return { store, db, workers };
}

function rows(trace: number, from: number, count: number): SpanRow[] {
  return Array.from({ length: count }, (_, i) =>
    spanRow({
      trace_id: traceId(trace),
      span_id: spanId(from + i),
      name: `span-${from + i}`,
      start_ns: String(1767225600000000000n + BigInt(from + i)),
      end_ns: String(1767225600000000000n + BigInt(from + i) + 10n),
      input: "x".repeat(2000),
      input_tokens: 1,
    }),
  );
}

describe("embedded database in a worker thread", () => {
  it("answers queries and transactions like the in-thread engine, with typed database errors", async () => {
    const { store } = await threadStore();
    await store.write(rows(1, 1, 3), new Date());
    expect((await store.getTrace(traceId(1)))?.span_count).toBe(3);
    expect((await store.listSpans(traceId(1))).map((s) => s.span_id)).toEqual([spanId(1), spanId(2), spanId(3)]);
    const db = await openPgliteThread({ dataDir: `${await freshDataDir()}/db`, enginePath: await locatePglite() });
    closers.push(() => db.close());
    const err = await db.query("select * from no_such_table").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineQueryError);
    expect(err).toMatchObject({ code: "42P01", message: expect.stringContaining("no_such_table") });
    // a failed statement rolls its transaction back, and the next one works
    await expect(
      db.transaction(async (tx) => {
        await tx.query("insert into schema_migrations (version, name) values (999, 'x')");
        await tx.query("select 1/0");
      }),
    ).rejects.toMatchObject({ code: "22012" });
    expect(await db.query("select count(*)::int as n from schema_migrations where version = 999")).toEqual([{ n: 0 }]);
    // statements issued at once in one callback share its one transaction
    await db.transaction(async (tx) => {
      await Promise.all([998, 997].map((v) => tx.query("insert into schema_migrations (version, name) values ($1, 'y')", [v])));
      expect(await tx.query("select count(*)::int as n from schema_migrations where version in (997, 998)")).toEqual([{ n: 2 }]);
    });
    expect(await db.query("select count(*)::int as n from schema_migrations where version in (997, 998)")).toEqual([{ n: 2 }]);
  });

  it("runs a transaction's statements encoded on the main thread, answering exactly what query() answers", async () => {
    const { db, ops } = await countedThreadDb();
    // text of every width, an empty string, a null, JSON in and typed values out (bigint as text, arrays, jsonb)
    const sql = `select $1::text as t, length($1) as chars, octet_length($1) as bytes, $2::text is null as missing,
      $3::text as empty, ($4::jsonb) -> 'a' as doc, array[$1, 'b'] as list, 9007199254740993::text as big, now() > '2020-01-01' as later`;
    const params = ["naïve ☃ 𝄞 \\ \t ' \" \n", null, "", JSON.stringify({ a: [1, "é", { b: null }] })];
    const plain = await db.query(sql, params);
    const encoded = await db.transaction((tx) => tx.query(sql, params));
    expect(encoded).toEqual(plain);
    expect(encoded).toEqual([
      {
        t: params[0],
        chars: [...params[0]!].length,
        bytes: Buffer.byteLength(params[0]!),
        missing: true,
        empty: "",
        doc: [1, "é", { b: null }],
        list: [params[0], "b"],
        big: "9007199254740993",
        later: true,
      },
    ]);
    expect(ops.filter((op) => op === "statement")).toHaveLength(1);
    // a JSON array given as its elements' texts is the same text, encoded or not
    const elements = ['{"a":"é ☃"}', "[1,null]", '"x"'];
    const arraySql = "select $1::text::jsonb as doc, octet_length($1::text) as bytes";
    const asText = await db.query(arraySql, [`[${elements.join(",")}]`]);
    expect(asText).toEqual([{ doc: [{ a: "é ☃" }, [1, null], "x"], bytes: Buffer.byteLength(`[${elements.join(",")}]`) }]);
    expect(await db.transaction((tx) => tx.query(arraySql, [new JsonArrayText(elements)]))).toEqual(asText);
    expect(await db.query(arraySql, [new JsonArrayText(elements)])).toEqual(asText);
    expect(await db.transaction((tx) => tx.query(arraySql, [new JsonArrayText([])]))).toEqual([{ doc: [], bytes: 2 }]);
    expect(ops.filter((op) => op === "statement")).toHaveLength(3);
    // a parameter of another type goes through query(), whose serializers know its type
    expect(await db.transaction((tx) => tx.query("select $1::int + 1 as n", [41]))).toEqual([{ n: 42 }]);
    expect(ops.filter((op) => op === "statement")).toHaveLength(3);
    // a database error of an encoded statement is typed, and rolls its transaction back
    await expect(
      db.transaction(async (tx) => {
        await tx.query("insert into schema_migrations (version, name) values (996, $1)", ["z"]);
        await tx.query("select $1::int", ["not a number"]);
      }),
    ).rejects.toMatchObject({ name: "EngineQueryError", code: "22P02" });
    expect(await db.query("select count(*)::int as n from schema_migrations where version = 996")).toEqual([{ n: 0 }]);
    expect(ops.filter((op) => op === "statement")).toHaveLength(5);
  });

  it("commits with a transaction's last statement when it answers no rows, and keeps it open when it answers some", async () => {
    const { db, ops } = await countedThreadDb();
    const count = async (v: number) =>
      (await db.query<{ n: number }>("select count(*)::int as n from schema_migrations where version = $1", [v]))[0]!.n;
    // one message for the whole transaction (text and non-text parameters alike), no "end"
    await db.transaction((tx) => tx.queryCommitIfEmpty!("insert into schema_migrations (version, name) values (990, $1)", ["a"]));
    await db.transaction((tx) => tx.queryCommitIfEmpty!("insert into schema_migrations (version, name) values ($1, 'b')", [989]));
    expect(ops).toEqual(["statement", "query"]);
    expect([await count(990), await count(989)]).toEqual([1, 1]);
    // nothing more runs in a transaction its last statement committed
    await expect(
      db.transaction(async (tx) => {
        await tx.queryCommitIfEmpty!("insert into schema_migrations (version, name) values (988, $1)", ["c"]);
        await tx.query("insert into schema_migrations (version, name) values (987, 'd')");
      }),
    ).rejects.toThrow(/committed by its last statement/);
    expect([await count(988), await count(987)]).toEqual([1, 0]);
    // rows answered: still open, so a later failure rolls the statement back
    await expect(
      db.transaction(async (tx) => {
        const rows = await tx.queryCommitIfEmpty!("insert into schema_migrations (version, name) values (986, $1) returning version", [
          "e",
        ]);
        expect(rows).toEqual([{ version: 986 }]);
        await tx.query("select 1/0");
      }),
    ).rejects.toMatchObject({ code: "22012" });
    expect(await count(986)).toBe(0);
    // a statement that fails rolls back, committing nothing
    await expect(
      db.transaction((tx) => tx.queryCommitIfEmpty!("insert into schema_migrations (version, name) values (985, $1::int::text)", ["x"])),
    ).rejects.toMatchObject({ code: "22P02" });
    expect(await count(985)).toBe(0);
    // two transactions handed over at once run one after the other, each whole
    await Promise.all(
      [984, 983].map((v) =>
        db.transaction(async (tx) => {
          await tx.query("insert into schema_migrations (version, name) values ($1, 'f')", [String(v)]);
          await tx.queryCommitIfEmpty!("update schema_migrations set name = name || '!' where version = $1", [String(v)]);
        }),
      ),
    );
    expect(await db.query("select version, name from schema_migrations where version in (983, 984) order by version")).toEqual([
      { version: 983, name: "f!" },
      { version: 984, name: "f!" },
    ]);
  });

  it("fails to open with an error naming the data directory when the engine cannot start", async () => {
    const dataDir = `${await freshDataDir()}/db`;
    await expect(openPgliteThread({ dataDir, enginePath: "/nonexistent/pglite/index.js" })).rejects.toThrow(
      `the embedded database could not be opened in ${dataDir}`,
    );
  });

  it("fails only the write in flight when the thread dies, restarts it, and loses no acknowledged span", async () => {
    const { store, workers } = await threadStore();
    await store.write(rows(1, 1, 50), new Date());
    const inFlight = store.write(rows(2, 100, 500), new Date());
    await workers[0]!.terminate();
    await expect(inFlight).rejects.toBeInstanceOf(EngineCrashedError);
    // the next write starts a new thread on the same data directory
    await store.write(rows(3, 1000, 50), new Date());
    expect(workers).toHaveLength(2);
    expect((await store.getTrace(traceId(1)))?.span_count).toBe(50);
    expect((await store.listSpans(traceId(1))).length).toBe(50);
    expect((await store.getTrace(traceId(3)))?.span_count).toBe(50);
    // the crashed write committed nothing: no spans, no summary
    expect(await store.getTrace(traceId(2))).toBeUndefined();
    expect(await store.listSpans(traceId(2))).toEqual([]);
  });

  it("answers an ingest caught by a crash with 503 and Retry-After, and stores the retried batch", async () => {
    const { store, db, workers } = await threadStore();
    // another transaction holds the engine, so the ingest's write waits inside the worker
    let release!: () => void;
    const held = db.transaction(async (tx) => {
      await tx.query("select 1");
      await new Promise<void>((ok) => (release = ok));
    });
    let writing!: () => void;
    const reachedStore = new Promise<void>((ok) => (writing = ok));
    const watched: Store = { ...store, write: (...args) => (writing(), store.write(...args)) };
    const server: Server = createServer((req, res) => {
      handleIngest(req, res, { store: watched, maxBodyBytes: 16 << 20, now: () => new Date() }).catch(
        (err: { status?: number; code?: string }) => {
          res.writeHead(err.status ?? 500, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: err.code ?? "internal_error" }));
        },
      );
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    closers.push(() => new Promise((ok) => server.close(ok)));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1/traces`;
    const body = JSON.stringify(otlpBody(Array.from({ length: 300 }, (_, i) => otlpSpan({ trace: 7, span: i + 1 }))));
    const post = () => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
    const first = post();
    await reachedStore;
    await new Promise((ok) => setTimeout(ok, 50));
    await workers[0]!.terminate();
    const res = await first;
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(await res.json()).toEqual({ error: "engine_restarted" });
    release();
    await expect(held).rejects.toBeInstanceOf(EngineCrashedError);
    expect(await store.getTrace(traceId(7))).toBeUndefined();
    const retried = await post();
    expect(retried.status).toBe(200);
    expect((await store.getTrace(traceId(7)))?.span_count).toBe(300);
  });
});
