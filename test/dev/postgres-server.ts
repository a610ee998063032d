import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Where Debian's PostgreSQL server binaries are (PATH shims, then /usr/lib/postgresql/N/bin). */
export function findPostgresBin(): string | undefined {
  const dirs = ["/usr/local/bin", "/usr/bin"];
  if (existsSync("/usr/lib/postgresql")) {
    for (const v of readdirSync("/usr/lib/postgresql").sort().reverse()) dirs.push(`/usr/lib/postgresql/${v}/bin`);
  }
  return dirs.find((d) => existsSync(join(d, "initdb")) && existsSync(join(d, "postgres")));
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/**
 * A throwaway PostgreSQL server on a temp dir and a free loopback port. PostgreSQL refuses to
 * run as root, so under root the cluster belongs to `nobody` and both processes run as it.
 */
export async function startPostgres(): Promise<{ url: string; stop(): Promise<void> }> {
  const bin = findPostgresBin();
  if (!bin) throw new Error("PostgreSQL server binaries not found: install them with: apt-get update && apt-get install -y postgresql");
  const dir = await mkdtemp(join(tmpdir(), "bentolabs-pg-"));
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot ? { uid: 65534, gid: 65534 } : {};
  if (asRoot) await chown(dir, 65534, 65534);
  const data = join(dir, "data");
  await run(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], { ...ids, cwd: dir });
  const port = await freePort();
  const child: ChildProcess = spawn(
    join(bin, "postgres"),
    ["-D", data, "-p", String(port), "-k", dir, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"],
    { ...ids, cwd: dir, stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  child.stderr?.on("data", (d: Buffer) => (log += d.toString()));
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const pg = (await import("pg")).default;
  for (let attempt = 0; ; attempt++) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      break;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (attempt > 100 || child.exitCode !== null) throw new Error(`PostgreSQL did not start: ${(err as Error).message}\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    async stop() {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGINT"); // fast shutdown
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
