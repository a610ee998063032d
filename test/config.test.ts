import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { resolveOptions } from "../src/config.js";
import { BentoAuthError, BentoConfigError } from "../src/errors.js";
import { redact, registerSecret } from "../src/log.js";

const KEY = "bl_pk_test_0123456789abcdef";

describe("resolveOptions", () => {
  it("prefers explicit options over the environment", () => {
    const r = resolveOptions(
      { apiKey: KEY, baseUrl: "http://127.0.0.1:9/" },
      { BENTOLABS_API_KEY: "bl_pk_other", BENTOLABS_BASE_URL: "https://x.example" },
    );
    expect(r).toEqual({ apiKey: KEY, baseUrl: "http://127.0.0.1:9" });
    expect(Object.isFrozen(r)).toBe(true);
  });

  it("falls back to the environment, then the default base URL", () => {
    expect(resolveOptions({}, { BENTOLABS_API_KEY: ` ${KEY} ` })).toEqual({ apiKey: KEY, baseUrl: "https://api.bentolabs.ai" });
  });

  it("reports a missing key with code missing_api_key", () => {
    const err = (() => {
      try {
        resolveOptions({}, {});
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(BentoAuthError);
    expect((err as BentoAuthError).code).toBe("missing_api_key");
  });

  it("reports a key without the bl_pk_ prefix without echoing it", () => {
    const err = (() => {
      try {
        resolveOptions({ apiKey: "sk-secret-value-123" }, {});
      } catch (e) {
        return e as BentoAuthError;
      }
    })();
    expect(err?.code).toBe("invalid_api_key_format");
    expect(err?.message).not.toContain("sk-secret-value-123");
  });

  it("names a base URL that has no http(s) scheme", () => {
    expect(() => resolveOptions({ apiKey: KEY, baseUrl: "api.bentolabs.ai" }, {})).toThrow(BentoConfigError);
    expect(() => resolveOptions({ apiKey: KEY, baseUrl: "ftp://x" }, {})).toThrow(/"ftp:\/\/x"/);
  });

  it("masks the key when the resolved options are inspected", () => {
    const text = inspect(resolveOptions({ apiKey: KEY }, {}));
    expect(text).not.toContain(KEY);
    expect(text).toContain("cdef");
  });
});

describe("redact", () => {
  it("masks registered secrets and key-shaped tokens", () => {
    registerSecret("my-registered-secret");
    const out = redact(`a my-registered-secret b ${KEY} c`);
    expect(out).not.toContain("my-registered-secret");
    expect(out).not.toContain(KEY);
    expect(out).toContain("…cdef");
  });
});
