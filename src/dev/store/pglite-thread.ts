import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { locateTrigramExtension, PGLITE_SETTINGS } from "./engine.js";
import { encodable, encodeStatement } from "./pglite-protocol.js";
import { PGLITE_WORKER_SOURCE } from "./pglite-worker-source.js";
import { type SqlDatabase, type SqlRunner, sqlParams } from "./sql.js";

/**
 * The embedded database's worker thread stopped (crashed, ran out of memory, was terminated) while
 * this call was waiting on it. Nothing of the call's transaction was committed; the thread is
 * restarted on the next call, so the caller may retry (the ingest answers 503).
 */
export class EngineCrashedError extends Error {
  override readonly name = "EngineCrashedError";
}

/** An error the database raised, carried over from the worker thread (SQLSTATE in `code`). */
export class EngineQueryError extends Error {
  override readonly name = "EngineQueryError";
  constructor(
    message: string,
    readonly code?: string,
    readonly detail?: string,
    /** Internal: the transaction the failed statement opened (it is still open, to be rolled back). */
    readonly tx?: number,
  ) {
    super(message);
  }
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

interface Thread {
  worker: Worker;
  ready: Promise<void>;
  pending: Map<number, Pending>;
  /** The worker runs statements encoded on this thread (pglite-protocol.ts). */
  statements: boolean;
}

/** Injectable for tests: how the worker is created (default: the eval'd PGlite worker). */
export type SpawnEngineWorker = (data: { dataDir: string; engineUrl: string; trigramUrl?: string; settings: readonly string[] }) => Worker;

const spawnDefault: SpawnEngineWorker = (workerData) => new Worker(PGLITE_WORKER_SOURCE, { eval: true, workerData });

/**
 * PGlite in a worker thread, behind the same {@link SqlDatabase} interface as in-thread PGlite:
 * the WASM engine is single-threaded and would otherwise share the main thread with HTTP, JSON
 * decode and GC. Every query (reads too) is a message; a transaction stays open in the worker
 * until its callback here settles. When the thread dies, every waiting call rejects with
 * {@link EngineCrashedError} and the next call starts a new thread on the same data directory
 * (committed data is on disk; an open transaction is lost, never half-applied).
 */
export function openPgliteThread(opts: { dataDir: string; enginePath: string; spawn?: SpawnEngineWorker }): Promise<SqlDatabase> {
  let seq = 0;
  let closing = false;
  let thread: Thread | undefined;
  const trigramPath = locateTrigramExtension(opts.enginePath);

  const start = (): Thread => {
    const worker = (opts.spawn ?? spawnDefault)({
      dataDir: opts.dataDir,
      engineUrl: pathToFileURL(opts.enginePath).href,
      // pg_trgm (contrib, next to the engine) backs the run search index; absent, search scans
      trigramUrl: trigramPath ? pathToFileURL(trigramPath).href : undefined,
      settings: PGLITE_SETTINGS,
    });
    const pending = new Map<number, Pending>();
    let opened!: () => void;
    let failed!: (err: Error) => void;
    const ready = new Promise<void>((ok, fail) => ((opened = ok), (failed = fail)));
    const t: Thread = { worker, ready, pending, statements: false };
    const stop = (err: Error) => {
      if (thread === t) thread = undefined;
      void worker.terminate();
      failed(err);
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    };
    worker.on(
      "message",
      (m: {
        id?: number;
        ready?: true;
        statements?: boolean;
        fatal?: { message: string };
        result?: unknown;
        error?: { message: string; code?: string; detail?: string; tx?: number };
      }) => {
        if (m.ready) {
          t.statements = m.statements === true;
          return opened();
        }
        if (m.fatal) return stop(new Error(`the embedded database could not be opened in ${opts.dataDir}: ${m.fatal.message}`));
        const p = pending.get(m.id!);
        if (!p) return;
        pending.delete(m.id!);
        if (m.error) p.reject(new EngineQueryError(m.error.message, m.error.code, m.error.detail, m.error.tx));
        else p.resolve(m.result);
      },
    );
    worker.on("error", (err) => stop(new EngineCrashedError(`the embedded database thread failed: ${err.message}`, { cause: err })));
    worker.on("exit", (code) =>
      stop(
        new EngineCrashedError(
          closing
            ? "the embedded database is closed"
            : `the embedded database thread exited (code ${code}); it restarts on the next request`,
        ),
      ),
    );
    ready.catch(() => undefined);
    return t;
  };

  const call = async <T>(msg: Record<string, unknown>, on?: Thread): Promise<T> => {
    if (closing && msg.op !== "close") throw new EngineCrashedError("the embedded database is closed");
    const t = on ?? (thread ??= start());
    await t.ready;
    if (on && thread !== t)
      throw new EngineCrashedError("the embedded database thread restarted during this transaction; it was not committed");
    const id = ++seq;
    // A transaction's statement with text parameters is encoded here, and its bytes moved, not
    // copied, to the worker: the engine's thread then only runs it (pglite-protocol.ts).
    const inTransaction = msg.tx !== undefined || msg.begin === true;
    const params = (msg.params ?? []) as unknown[];
    let out: Record<string, unknown> = { ...msg, ...(msg.params ? { params: sqlParams(params) } : {}), id };
    const transfer: ArrayBuffer[] = [];
    if (msg.op === "query" && inTransaction && t.statements && encodable(msg.text as string, params)) {
      const message = encodeStatement(msg.text as string, params);
      out = { op: "statement", message, tx: msg.tx, begin: msg.begin, commitIfEmpty: msg.commitIfEmpty, id };
      transfer.push(message.buffer as ArrayBuffer);
    }
    return new Promise<T>((resolve, reject) => {
      t.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      t.worker.postMessage(out, transfer);
    });
  };

  // In a transaction, the first statement opens it in the worker (`begin: true`) and learns its id;
  // statements issued meanwhile wait for it, so one callback never opens two transactions.
  // A statement sent with `commitIfEmpty` that answers no rows has committed the transaction.
  type Tx = { id?: number; opening?: Promise<unknown>; thread: Thread; committed?: boolean };
  const inTx = async <T>(tx: Tx, msg: Record<string, unknown>): Promise<T> => {
    if (tx.opening) await tx.opening.catch(() => undefined);
    if (tx.committed) throw new Error("the transaction was committed by its last statement; nothing more can run in it");
    const settled = (value: T) => {
      if (msg.commitIfEmpty && Array.isArray(value) && value.length === 0) tx.committed = true;
      return value;
    };
    if (tx.id !== undefined) return settled(await call<T>({ ...msg, tx: tx.id }, tx.thread));
    const opening = call<{ tx: number; value: T }>({ ...msg, begin: true }, tx.thread);
    tx.opening = opening;
    try {
      const { tx: id, value } = await opening;
      tx.id = id;
      return settled(value);
    } catch (err) {
      if (err instanceof EngineQueryError && err.tx !== undefined) tx.id = err.tx;
      throw err;
    }
  };
  const runner = (tx?: Tx): SqlRunner => ({
    query: <T>(text: string, params: unknown[] = []) =>
      tx ? inTx<T[]>(tx, { op: "query", text, params }) : call<T[]>({ op: "query", text, params }),
    exec: (text: string) => (tx ? inTx<void>(tx, { op: "exec", text }) : call<void>({ op: "exec", text })),
    ...(tx && {
      queryCommitIfEmpty: <T>(text: string, params: unknown[] = []) => inTx<T[]>(tx, { op: "query", text, params, commitIfEmpty: true }),
    }),
  });

  const first = (thread = start());
  const db: SqlDatabase = {
    ...runner(),
    description: `PGlite (embedded PostgreSQL) in ${opts.dataDir}`,
    async transaction(fn) {
      const tx: Tx = { thread: (thread ??= start()) };
      let out;
      try {
        out = await fn(runner(tx));
      } catch (err) {
        if (tx.id !== undefined && !tx.committed) await call({ op: "end", tx: tx.id, commit: false }, tx.thread).catch(() => undefined);
        throw err;
      }
      if (tx.id !== undefined && !tx.committed) await call({ op: "end", tx: tx.id, commit: true }, tx.thread);
      return out;
    },
    async close() {
      if (closing) return;
      const t = thread;
      closing = true;
      if (!t) return;
      await call({ op: "close" }, t).catch(() => undefined);
      await t.worker.terminate();
    },
  };
  return first.ready.then(
    () => db,
    (err) => {
      closing = true;
      throw err;
    },
  );
}
