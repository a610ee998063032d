// Plain http:// to a non-loopback host: explicit configuration throws, the lazy path warns once.
import { afterEach, describe, expect, it, vi } from "vitest";
import * as bento from "../src/index.js";
import { resetLogState } from "../src/log.js";
import { TEST_KEY } from "./helpers/receiver.js";

const REMOTE = "http://203.0.113.9:4318"; // TEST-NET-3: never contacted, the SDK refuses first

afterEach(async () => {
  await bento.shutdown();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

function expectInsecureError(fn: () => unknown): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(bento.BentoConfigError);
  const e = error as bento.BentoConfigError;
  expect(e.code).toBe("insecure_base_url");
  expect(e.message).toContain("https://");
  expect(e.message).toContain("allowInsecureHttp: true");
  expect(e.message).toContain("203.0.113.9");
  expect(e.message).not.toContain(TEST_KEY);
}

describe("a plain http:// base URL to a remote host", () => {
  it("makes an explicit init() throw insecure_base_url, naming both fixes", () => {
    expectInsecureError(() => bento.init({ apiKey: TEST_KEY, baseUrl: REMOTE }));
  });

  it("makes the processor and exporter constructors throw the same error", () => {
    expectInsecureError(() => new bento.BentoLabsSpanProcessor({ apiKey: TEST_KEY, baseUrl: REMOTE }));
    expectInsecureError(() => new bento.BentoLabsTraceExporter({ apiKey: TEST_KEY, baseUrl: REMOTE }));
  });

  it("is accepted with allowInsecureHttp: true, and for loopback hosts", async () => {
    expect(() => bento.init({ apiKey: TEST_KEY, baseUrl: REMOTE, allowInsecureHttp: true })).not.toThrow();
    await bento.shutdown();
    expect(() => bento.init({ apiKey: TEST_KEY, baseUrl: "http://localhost:4318" })).not.toThrow();
    const processor = new bento.BentoLabsSpanProcessor({ apiKey: TEST_KEY, baseUrl: REMOTE, allowInsecureHttp: true });
    await processor.shutdown();
  });

  it("leaves tracing a no-op on the lazy path, with one warning and a flush that is not ok", async () => {
    resetLogState();
    vi.stubEnv("BENTOLABS_API_KEY", TEST_KEY);
    vi.stubEnv("BENTOLABS_BASE_URL", REMOTE);
    vi.stubEnv("BENTOLABS_LOG_LEVEL", "warn");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(() => bento.trackAi({ event: "a" })).not.toThrow();
    expect(() => bento.begin({ event: "b" }, () => bento.trackAi({ event: "c" }))).not.toThrow();
    const result = await bento.flush();
    expect(result.ok).toBe(false);
    expect(bento.stats()).toMatchObject({ emitted: 3, exported: 0, dropped: { insecure_http: 3 } });
    expect(warn).toHaveBeenCalledTimes(1);
    const message = String(warn.mock.calls[0]![0]);
    expect(message).toContain("https://");
    expect(message).toContain("allowInsecureHttp: true");
    expect(message).not.toContain(TEST_KEY);
  });
});
