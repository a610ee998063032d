import { describe, expect, it } from "vitest";
import { isSecretName, maskSecrets } from "../../src/cli/mask.js";
import { render } from "../../src/cli/output.js";
import { renderTable } from "../../src/cli/table.js";

describe("maskSecrets", () => {
  it("masks secret-named strings at any depth and keeps the rest", () => {
    const out = maskSecrets({
      config: { public_key: "pk-lf-1", secret_key: "sk-lf-abcdefgh1234" },
      items: [{ api_key: "key-0123456789" }],
      usage: { input_tokens: 12 },
    });
    expect(out).toEqual({
      config: { public_key: "pk-lf-1", secret_key: "…1234" },
      items: [{ api_key: "…6789" }],
      usage: { input_tokens: 12 },
    });
  });

  it("recognises the usual secret field names", () => {
    for (const n of [
      "secret_key",
      "password",
      "token",
      "access_token",
      "api_key",
      "apiKey",
      "Authorization",
      "private_key",
      "client_secret",
    ])
      expect(isSecretName(n), n).toBe(true);
    for (const n of ["public_key", "credential_id", "base_url", "status"]) expect(isSecretName(n), n).toBe(false);
  });
});

describe("renderTable", () => {
  it("unwraps { items } into one row per item with dotted columns", () => {
    const out = renderTable({
      items: [
        { id: "a", config: { base_url: "https://x" } },
        { id: "bb", extra: true },
      ],
    });
    expect(out.split("\n")).toEqual([
      "ID  CONFIG.BASE_URL  EXTRA",
      "--  ---------------  -----",
      "a   https://x",
      "bb                   true",
    ]);
  });

  it("says so when a list is empty", () => {
    expect(renderTable({ items: [] })).toBe("(no items)");
  });

  it("shows an object as fields, with nested lists as their own table", () => {
    const out = renderTable({ healthy: false, credentials: [{ credential_id: "c1", runs: 2 }] });
    expect(out).toBe(
      [
        "FIELD    VALUE",
        "-------  -----",
        "healthy  false",
        "",
        "credentials:",
        "CREDENTIAL_ID  RUNS",
        "-------------  ----",
        "c1             2",
      ].join("\n"),
    );
  });

  it("truncates long cells", () => {
    expect(renderTable({ items: [{ msg: "x".repeat(100) }] })).toContain(`${"x".repeat(59)}…`);
  });
});

describe("render", () => {
  it("masks in every mode", () => {
    for (const mode of ["pretty", "raw", "table"] as const)
      expect(render({ secret_key: "sk-lf-abcdefgh1234" }, mode)).not.toContain("abcdefgh");
  });
});
