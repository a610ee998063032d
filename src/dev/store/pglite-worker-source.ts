/**
 * The worker thread that owns the embedded database (see pglite-thread.ts for the other side and the
 * message protocol). Plain JavaScript run with `new Worker(source, { eval: true })`: the same text
 * works from the ESM and CJS bundles and from the TypeScript sources under test, with no extra
 * file to locate next to a bundle chunk. It only moves messages; PGlite does the work.
 *
 * Messages in:  { id, op: "query", text, params, tx?, begin?, commitIfEmpty? } | { id, op: "exec", text, tx?, begin? }
 *               | { id, op: "statement", message, tx?, begin?, commitIfEmpty? } | { id, op: "end", tx, commit }
 *               | { id, op: "close" }
 *               (`begin: true` opens a transaction first; the result is then { tx, value }.
 *               "statement": one statement already encoded as protocol messages (pglite-protocol.ts),
 *               in a transaction only; answered with the rows `query` would give.
 *               `commitIfEmpty`: in a transaction, no rows answered commits it, as "end" would)
 * Messages out: { ready: true, statements } | { fatal: { message } } once, then { id, result } | { id, error }
 *               (`statements`: the engine takes "statement"; an error of a statement that opened a
 *               transaction carries its `tx`, still open).
 */
export const PGLITE_WORKER_SOURCE = `
"use strict";
const txs = new Map();
let parseResults;
let nextTx = 1;

function errorOf(err) {
  const e = err || {};
  return { message: String(e.message || e), name: e.name, code: e.code, detail: e.detail, tx: e.tx };
}

function runnerOf(db, tx) {
  if (tx === undefined) return db;
  const runner = txs.get(tx);
  if (!runner) throw new Error("transaction " + tx + " is not open");
  return runner.tx;
}

// Opens a transaction that stays open until an "end" message settles it; answers its id.
function begin(db) {
  return new Promise((opened, failed) => {
    const id = nextTx++;
    const entry = {};
    // PGlite commits when the callback's promise resolves and rolls back when it rejects
    entry.done = db.transaction(
      (tx) =>
        new Promise((commit, rollback) => {
          Object.assign(entry, { tx, commit, rollback });
          txs.set(id, entry);
          opened(id);
        }),
    );
    entry.done.catch((err) => (txs.has(id) ? undefined : failed(err)));
  });
}

async function end(id, commit) {
  const t = txs.get(id);
  if (!t) throw new Error("transaction " + id + " is not open");
  if (commit) t.commit();
  else t.rollback(new Error("rolled back"));
  try {
    await t.done;
  } catch (err) {
    if (commit) throw err;
  } finally {
    txs.delete(id);
  }
}

async function commitIfEmpty(m, rows) {
  if (m.commitIfEmpty && m.tx !== undefined && rows.length === 0) await end(m.tx, true);
  return rows;
}

async function handle(db, m) {
  // the first statement of a transaction opens it (saves a round trip per transaction)
  if (m.begin) {
    const tx = await begin(db);
    try {
      return { tx, value: await handle(db, { ...m, begin: false, tx }) };
    } catch (err) {
      throw { ...errorOf(err), tx };
    }
  }
  switch (m.op) {
    case "query":
      return commitIfEmpty(m, (await runnerOf(db, m.tx).query(m.text, m.params)).rows);
    case "statement": {
      // Inside our transaction: PGlite's transaction lock is held, no other statement runs. Outside
      // one, the engine's locks and file sync would be bypassed: refused.
      if (m.tx === undefined) throw new Error("an encoded statement runs in a transaction only");
      runnerOf(db, m.tx);
      const messages = await db.execProtocolStream(m.message, { syncToFs: false });
      return commitIfEmpty(m, parseResults(messages, db.parsers)[0].rows);
    }
    case "exec":
      await runnerOf(db, m.tx).exec(m.text);
      return null;
    case "end":
      await end(m.tx, m.commit);
      return null;
    case "close":
      await db.close();
      return null;
    default:
      throw new Error("unknown engine operation " + m.op);
  }
}

// import() only: the eval'd text is a CommonJS script or an ES module depending on how the parent
// process was started (node --input-type=module is inherited), and import() works in both.
(async () => {
  const { parentPort, workerData } = await import("node:worker_threads");
  try {
    const engine = await import(workerData.engineUrl);
    const PGlite = engine.PGlite || engine.default.PGlite;
    const parse = engine.parse || (engine.default && engine.default.parse);
    parseResults = parse && parse.parseResults;
    // pg_trgm backs the run search index (migration 3): a database that has the index needs it
    let extensions;
    if (workerData.trigramUrl) {
      const contrib = await import(workerData.trigramUrl).catch(() => undefined);
      const pg_trgm = contrib && (contrib.pg_trgm || (contrib.default && contrib.default.pg_trgm));
      if (pg_trgm) extensions = { pg_trgm };
    }
    // the dev server's settings on top of PGlite's own start parameters (engine.ts pgliteStartParams)
    const defaults = PGlite.defaultStartParams;
    const startParams = Array.isArray(defaults)
      ? [...defaults, ...(workerData.settings || []).flatMap((setting) => ["-c", setting])]
      : undefined;
    const db = await PGlite.create({
      dataDir: workerData.dataDir,
      ...(extensions ? { extensions } : {}),
      ...(startParams ? { startParams } : {}),
    });
    parentPort.on("message", (m) => {
      handle(db, m).then(
        (result) => parentPort.postMessage({ id: m.id, result }),
        (err) => parentPort.postMessage({ id: m.id, error: errorOf(err) }),
      );
    });
    // an older engine without the protocol entry points gets every statement through query()
    const statements = typeof parseResults === "function" && typeof db.execProtocolStream === "function" && !!db.parsers;
    parentPort.postMessage({ ready: true, statements });
  } catch (err) {
    parentPort.postMessage({ fatal: errorOf(err) });
  }
})();
`;
