import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import * as bento from "../src/index.js";
import { resetLogState } from "../src/log.js";
import { runNode } from "./helpers/child.js";
import { Receiver, TEST_KEY } from "./helpers/receiver.js";

const receiver = new Receiver();
beforeAll(() => receiver.start());
afterAll(() => receiver.stop());
afterEach(async () => {
  await bento.shutdown();
  receiver.reset();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  resetLogState();
});

describe("SPEC §6–§7 configuration and export", () => {
  it("POSTs OTLP JSON to {baseUrl}/v1/traces with the bearer key", async () => {
    bento.init({ apiKey: TEST_KEY, baseUrl: `${receiver.url}/` });
    bento.trackAi({ event: "x" });
    await bento.flush();
    const req = receiver.requests[0]!;
    expect(req.method).toBe("POST");
    expect(req.url).toBe("/v1/traces");
    expect(req.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    expect(req.headers["content-type"]).toContain("application/json");
    expect(receiver.span("x").resource["service.name"]).toBeTypeOf("string");
  });

  it("initializes lazily from the environment", async () => {
    vi.stubEnv("BENTOLABS_API_KEY", TEST_KEY);
    vi.stubEnv("BENTOLABS_BASE_URL", receiver.url);
    bento.trackAi({ event: "lazy" });
    await bento.flush();
    expect(receiver.span("lazy")).toBeDefined();
  });

  it("is a no-op after one warning when no key is configured, and flush() reports the spans as not sent", async () => {
    vi.stubEnv("BENTOLABS_API_KEY", "");
    vi.stubEnv("BENTOLABS_BASE_URL", receiver.url);
    vi.stubEnv("BENTOLABS_LOG_LEVEL", "warn");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(bento.trackAi({ event: "a" })).toMatch(/^[0-9a-f]{16}$/);
    expect(() => bento.begin({ event: "b" }, (t) => t.toolSpan("c").end())).not.toThrow();
    bento.trackAi({ event: "d" });
    // nothing was sent, and flush() says so: the four spans count as dropped
    expect(await bento.flush()).toEqual({ ok: false, pending: 0 });
    expect(bento.stats()).toEqual({ emitted: 4, exported: 0, queued: 0, dropped: { not_configured: 4 } });
    expect(receiver.requests).toHaveLength(0);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/BENTOLABS_API_KEY/);
  });

  it("warns without throwing when the environment key is malformed", () => {
    vi.stubEnv("BENTOLABS_API_KEY", "sk-not-a-bento-key-1234");
    vi.stubEnv("BENTOLABS_LOG_LEVEL", "warn");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(() => bento.trackAi({ event: "a" })).not.toThrow();
    expect(String(warn.mock.calls[0]![0])).toMatch(/bl_pk_/);
    expect(String(warn.mock.calls[0]![0])).not.toContain("sk-not-a-bento-key-1234");
  });

  it("throws typed errors from explicit init", () => {
    vi.stubEnv("BENTOLABS_API_KEY", "");
    expect(() => bento.init()).toThrow(expect.objectContaining({ code: "missing_api_key" }));
    expect(() => bento.init({ apiKey: "nope" })).toThrow(expect.objectContaining({ code: "invalid_api_key_format" }));
    expect(() => bento.init({ apiKey: TEST_KEY, baseUrl: "localhost:8080" })).toThrow(/localhost:8080/);
  });

  it("rejects a conflicting re-init and rotates after shutdown", async () => {
    bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url });
    expect(() => bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url })).not.toThrow();
    let err: bento.BentoAuthError | undefined;
    try {
      bento.init({ apiKey: "bl_pk_rotated_key_0001", baseUrl: receiver.url });
    } catch (e) {
      err = e as bento.BentoAuthError;
    }
    expect(err?.code).toBe("already_initialized");
    expect(err?.message).not.toContain(TEST_KEY);
    await bento.shutdown();
    bento.init({ apiKey: "bl_pk_rotated_key_0001", baseUrl: receiver.url });
    bento.trackAi({ event: "rotated" });
    await bento.flush();
    expect(receiver.requests.at(-1)!.headers.authorization).toBe("Bearer bl_pk_rotated_key_0001");
  });

  it("resolves flush only after queued spans were delivered", async () => {
    bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url });
    for (let i = 0; i < 1200; i++) bento.trackAi({ event: `s${i}` });
    const result = await bento.flush();
    expect(result).toEqual({ ok: true, pending: 0 });
    expect(receiver.spans).toHaveLength(1200);
    expect(bento.stats()).toMatchObject({ emitted: 1200, exported: 1200, queued: 0 });
  });

  it("re-initializes lazily after shutdown", async () => {
    vi.stubEnv("BENTOLABS_API_KEY", TEST_KEY);
    vi.stubEnv("BENTOLABS_BASE_URL", receiver.url);
    bento.trackAi({ event: "before" });
    await bento.shutdown();
    bento.trackAi({ event: "after" });
    await bento.flush();
    expect(receiver.spans.map((s) => s.name).sort()).toEqual(["after", "before"]);
  });
});

describe("process lifecycle (child processes against the built dist)", () => {
  it("delivers queued spans on a natural exit without flush()", async () => {
    const res = await runNode(
      `import * as bento from "./dist/index.js";
       bento.begin({ event: "run" }, (t) => { for (let i = 0; i < 300; i++) bento.trackAi({ event: "llm" }); t.toolSpan("tool").end(); });`,
      { env: { BENTOLABS_API_KEY: TEST_KEY, BENTOLABS_BASE_URL: receiver.url } },
    );
    expect(res.code).toBe(0);
    expect(receiver.spans).toHaveLength(302);
    expect(res.ms).toBeLessThan(5000);
  });

  it("works through require() and import of the built package", async () => {
    const body = (load: string) => `${load}
      bento.init({ apiKey: "${TEST_KEY}", baseUrl: "${receiver.url}" });
      bento.trackAi({ event: "via-" + (typeof require === "function" ? "cjs" : "esm"), model: "m" });
      bento.flush().then((r) => console.log(JSON.stringify(r), typeof bento.BentoAuthError));`;
    const esm = await runNode(body(`import * as bento from "@bentolabs/sdk";`));
    const cjs = await runNode(body(`const bento = require("@bentolabs/sdk");`), { cjs: true });
    expect(esm.stdout.trim()).toBe('{"ok":true,"pending":0} function');
    expect(cjs.stdout.trim()).toBe('{"ok":true,"pending":0} function');
    expect(receiver.span("via-esm").attributes["gen_ai.request.model"]).toBe("m");
    expect(receiver.span("via-cjs").attributes["gen_ai.request.model"]).toBe("m");
  });

  it("never prints the API key, even at debug level", async () => {
    const res = await runNode(
      `import * as bento from "./dist/index.js";
       bento.trackAi({ event: "x" });
       try { bento.init({ apiKey: "bl_pk_conflicting_key_777" }); } catch (e) { console.log(e.message, JSON.stringify(e)); }
       const { inspect } = await import("node:util");
       console.log(inspect(bento.resolveOptions()), inspect(bento.stats()));
       await bento.flush({ timeoutMs: 300 });
       process.exit(0);`,
      { env: { BENTOLABS_API_KEY: TEST_KEY, BENTOLABS_BASE_URL: "http://127.0.0.1:1", BENTOLABS_LOG_LEVEL: "debug" } },
    );
    expect(res.stdout + res.stderr).not.toContain(TEST_KEY);
    expect(res.stdout + res.stderr).not.toContain("bl_pk_conflicting_key_777");
  });
});
