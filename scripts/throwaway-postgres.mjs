// A throwaway PostgreSQL server for the tests (test/dev/postgres-server.ts) and `npm run bench:dev`
// (bench/dev-postgres.mjs): a temp cluster on a free loopback port, removed on stop().
import { execFile, spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Thrown when no PostgreSQL server binaries are installed. */
export class PostgresNotInstalledError extends Error {
  name = "PostgresNotInstalledError";
}

/** Where Debian's PostgreSQL server binaries are (PATH shims, then /usr/lib/postgresql/N/bin). */
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

/**
 * Start a throwaway PostgreSQL server. `fsync: false` (the tests) trades durability for speed; the
 * bench keeps the default durability settings. PostgreSQL refuses to run as root, so under root the
 * cluster belongs to `nobody` and both processes run as it.
 */
export async function startPostgres({ fsync = true } = {}) {
  const bin = findPostgresBin();
  if (!bin) {
    throw new PostgresNotInstalledError(
      "PostgreSQL server binaries not found: install them with: apt-get update && apt-get install -y postgresql",
    );
  }
  const pg = (await import("pg")).default;
  const dir = await mkdtemp(join(tmpdir(), "bentolabs-pg-"));
  const ids = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  if (ids.uid) await chown(dir, 65534, 65534);
  const data = join(dir, "data");
  await run(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], { ...ids, cwd: dir });
  const port = await freePort();
  const args = ["-D", data, "-p", String(port), "-k", dir, "-c", "listen_addresses=127.0.0.1"];
  if (!fsync) args.push("-c", "fsync=off");
  const child = spawn(join(bin, "postgres"), args, { ...ids, cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
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
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGINT"); // fast shutdown
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
