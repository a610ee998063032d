import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runDev } from "../../src/dev/cli.js";
import { freshDataDir, getJson, otlpBody, otlpSpan, postTraces, spanId } from "./helpers.js";

const CLI = fileURLToPath(new URL("../../dist/dev/cli.js", import.meta.url));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

/** Start `node dist/dev/cli.js` and resolve with the URL and key it prints. */
function startCli(dataDir: string) {
  const child = spawn(process.execPath, [CLI, "--port", "0", "--data-dir", dataDir], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  const ready = new Promise<{ url: string; apiKey: string }>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      const url = /export BENTOLABS_BASE_URL=(\S+)/.exec(stdout)?.[1];
      const apiKey = /export BENTOLABS_API_KEY=(\S+)/.exec(stdout)?.[1];
      if (url && apiKey) resolve({ url, apiKey });
    });
    child.on("exit", (code) => reject(new Error(`dev server exited early (${code}): ${stdout}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, ready, exited, output: () => stdout };
}

describe("bentolabs dev", () => {
  it("prints the URL, workspace, key and the two export lines, then stops on a signal", async () => {
    const { out, io } = capture();
    let stop!: (s: string) => void;
    const stopSignal = new Promise<string>((r) => (stop = r));
    const done = runDev(["--port", "0", "--data-dir", await freshDataDir()], { ...io, stopSignal });
    await expect.poll(() => out.join("\n"), { timeout: 20_000 }).toContain("Press Ctrl-C");
    const text = out.join("\n");
    expect(text).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(text).toMatch(/workspace: {2}local/);
    expect(text).toMatch(/^ {2}export BENTOLABS_API_KEY=bl_pk_dev_[0-9a-f]{40}$/m);
    expect(text).toMatch(/^ {2}export BENTOLABS_BASE_URL=http:\/\/127\.0\.0\.1:\d+$/m);
    stop("SIGINT");
    expect(await done).toBe(0);
    expect(out.at(-1)).toBe("Stopped.");
  });

  it("rejects unknown flags and bad ports with usage (exit 2)", async () => {
    const a = capture();
    expect(await runDev(["--nope"], a.io)).toBe(2);
    expect(a.err.join("\n")).toContain("Usage: bentolabs dev");
    const b = capture();
    expect(await runDev(["--port", "http"], b.io)).toBe(2);
    expect(b.err.join("\n")).toContain("--port must be a port number");
  });

  it("explains a port that is already in use (exit 1)", async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", () => r()));
    const port = (blocker.address() as { port: number }).port;
    const { err, io } = capture();
    try {
      expect(await runDev(["--port", String(port), "--data-dir", await freshDataDir()], { ...io, stopSignal: new Promise(() => {}) })).toBe(
        1,
      );
    } finally {
      blocker.close();
    }
    expect(err.join("\n")).toContain(`port ${port} is already in use`);
  });

  it("keeps acknowledged spans when the process is stopped with SIGINT", { timeout: 60_000 }, async () => {
    const dataDir = await freshDataDir();
    const first = startCli(dataDir);
    const server = await first.ready;
    expect((await postTraces(server, otlpBody([otlpSpan({ trace: 1, span: 7, name: "acked" })]))).status).toBe(200);
    first.child.kill("SIGINT");
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain("Stopped.");

    const second = startCli(dataDir);
    const again = await second.ready;
    try {
      expect(again.apiKey).toBe(server.apiKey);
      expect((await getJson(again, `/spans/${spanId(7)}`)).body.name).toBe("acked");
    } finally {
      second.child.kill("SIGTERM");
    }
    expect(await second.exited).toBe(0);
  });
});
