import { describe, expect, it } from "vitest";
import { faultServer, SDK, spawnSdk } from "./harness.js";

describe.concurrent("fault server: process exit (child process)", () => {
  it("delivers 1000 queued spans on a natural exit without flush()", async () => {
    const server = await faultServer();
    const run = await spawnSdk(
      `${SDK} for (let i = 0; i < 1000; i++) bento.trackAi({ event: "e" + i });
       console.log("emitted", Date.now());`,
      server.url,
    ).done;
    await server.stop();
    expect(run.code).toBe(0);
    expect(new Set(server.spanNames()).size).toBe(1000);
    // counted from the last span, not from process start (module loading varies on a loaded CI
    // machine): the exit is not held for the ~2 s deadline a hanging endpoint gets
    const exitAfter = run.endedAt - Number(run.stdout.trim().split(" ")[1]);
    expect(exitAfter).toBeLessThan(2500);
  });

  it("exits within ~2.5 s on a natural exit when the endpoint hangs", async () => {
    const server = await faultServer(() => ({ hang: true }));
    const run = await spawnSdk(
      `${SDK} for (let i = 0; i < 100; i++) bento.trackAi({ event: "e" + i });
       console.log("emitted", Date.now());`,
      server.url,
    ).done;
    await server.stop();
    expect(run.code).toBe(0);
    const emittedAt = Number(run.stdout.trim().split(" ")[1]);
    const exitAfter = run.endedAt - emittedAt;
    expect(server.requests).toHaveLength(1);
    expect(exitAfter).toBeGreaterThanOrEqual(1900);
    expect(exitAfter).toBeLessThan(2800);
  });

  it("follows the README SIGTERM recipe: flush, then exit 143", async () => {
    const server = await faultServer();
    const child = spawnSdk(
      `${SDK}
       process.on("SIGTERM", async () => {
         await bento.shutdown({ timeoutMs: 2000 });
         process.exit(143);
       });
       setInterval(() => {}, 1000);
       for (let i = 0; i < 50; i++) bento.trackAi({ event: "t" + i });
       console.log("ready");`,
      server.url,
    );
    await child.waitFor("ready");
    child.kill("SIGTERM");
    const run = await child.done;
    await server.stop();
    expect(run.code).toBe(143);
    expect(new Set(server.spanNames()).size).toBe(50);
  });

  it("flushOnSignals flushes then ends by the signal, only when the app has no handler", async () => {
    const server = await faultServer();
    const child = spawnSdk(
      `${SDK}
       bento.init({ flushOnSignals: true });
       setInterval(() => {}, 1000);
       for (let i = 0; i < 50; i++) bento.trackAi({ event: "t" + i });
       console.log("ready", process.listenerCount("SIGTERM"), process.listenerCount("SIGINT"), process.listenerCount("uncaughtException"));`,
      server.url,
    );
    await child.waitFor("ready");
    child.kill("SIGTERM");
    const run = await child.done;
    expect(run.stdout).toContain("ready 1 1 0");
    expect(run.signal).toBe("SIGTERM");
    expect(new Set(server.spanNames()).size).toBe(50);

    const own = spawnSdk(
      `${SDK}
       process.on("SIGTERM", () => { console.log("app handler"); process.exit(7); });
       bento.init({ flushOnSignals: true });
       setInterval(() => {}, 1000);
       console.log("ready", process.listenerCount("SIGTERM"));`,
      server.url,
    );
    await own.waitFor("ready");
    own.kill("SIGTERM");
    const ownRun = await own.done;
    await server.stop();
    expect(ownRun.stdout).toContain("ready 1");
    expect(ownRun.code).toBe(7);
  });
});
