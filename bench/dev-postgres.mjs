// A throwaway PostgreSQL server for `npm run bench:dev` (the JS twin of test/dev/postgres-server.ts):
// a temp cluster on a free loopback port, default durability settings (fsync on).
import { execFile, spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export function findPostgresBin() {
  const dirs = ["/usr/local/bin", "/usr/bin"];
  if (existsSync("/usr/lib/postgresql")) {
    for (const v of readdirSync("/usr/lib/postgresql").sort().reverse()) dirs.push(`/usr/lib/postgresql/${v}/bin`);
  }
  return dirs.find((d) => existsSync(join(d, "initdb")) && existsSync(join(d, "postgres")));
}

async function freePort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, "127.0.0.1", () => r()));
  const { port } = srv.address();
  await new Promise((r) => srv.close(() => r()));
  return port;
}

/** Start PostgreSQL, or resolve to undefined (with the reason) when it is not installed. */
export async function startPostgres() {
  const bin = findPostgresBin();
  if (!bin) return { skipped: "PostgreSQL server binaries not found (apt-get install postgresql)" };
  let pg;
  try {
    pg = (await import("pg")).default;
  } catch {
    return { skipped: "the pg package is not installed" };
  }
  const dir = await mkdtemp(join(tmpdir(), "bentolabs-bench-pg-"));
  const ids = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  if (ids.uid) await chown(dir, 65534, 65534);
  const data = join(dir, "data");
  await run(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], { ...ids, cwd: dir });
  const port = await freePort();
  const child = spawn(join(bin, "postgres"), ["-D", data, "-p", String(port), "-k", dir, "-c", "listen_addresses=127.0.0.1"], {
    ...ids,
    cwd: dir,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  child.stderr.on("data", (d) => (log += d.toString()));
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  for (let attempt = 0; ; attempt++) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      break;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (attempt > 100 || child.exitCode !== null) throw new Error(`PostgreSQL did not start: ${err.message}\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    pg,
    async stop() {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGINT");
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
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
