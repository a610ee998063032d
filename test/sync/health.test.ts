import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkHealth } from "../../src/sync/health.js";
import type { FakeLangfuse } from "./fake-langfuse.js";
import { FIXTURE_KEYS } from "./fixtures.js";
import { startFake } from "./helpers.js";

describe("credential health check", () => {
  let fake: FakeLangfuse;
  beforeAll(async () => void (fake = await startFake()));
  afterAll(() => fake.close());

  it("is ok with good keys and names the project", async () => {
    const h = await checkHealth({ ...FIXTURE_KEYS, base_url: fake.url });
    expect(h).toMatchObject({
      status: "ok",
      code: "ok",
      reachable: true,
      project: { id: "cmb7x2k9d0004ad07q3hfz1lm", name: "support-assistant-prod", organization: "Acme Corp" },
    });
    expect(h.message).toContain("support-assistant-prod");
  });

  it("blames the keys when Langfuse answers its health probe but rejects them", async () => {
    const h = await checkHealth({ ...FIXTURE_KEYS, secret_key: "sk-lf-not-the-right-one", base_url: fake.url });
    expect(h).toMatchObject({ status: "fail", code: "invalid_credentials", reachable: true });
    expect(h.message).toMatch(/rejected the keys/);
    expect(h.message).not.toContain("sk-lf-not-the-right-one");
  });

  it("blames the base URL when nothing there answers like Langfuse", async () => {
    const h = await checkHealth({ ...FIXTURE_KEYS, base_url: `${fake.url}/not-langfuse` });
    expect(h).toMatchObject({ status: "fail", code: "not_langfuse", reachable: false });
    expect(h.message).toMatch(/Check base_url/);
  });

  it("says the host is unreachable when the connection fails", async () => {
    const h = await checkHealth({ ...FIXTURE_KEYS, base_url: "http://127.0.0.1:1" }, { timeoutMs: 2000 });
    expect(h).toMatchObject({ status: "fail", code: "unreachable", reachable: false });
    expect(h.message).toContain("ECONNREFUSED");
  });

  it("refuses a base URL carrying credentials without sending anything", async () => {
    const before = fake.requests.length;
    const h = await checkHealth({ ...FIXTURE_KEYS, base_url: fake.url.replace("http://", "http://user:pw@") });
    expect(h).toMatchObject({ status: "fail", code: "invalid_base_url" });
    expect(fake.requests.length).toBe(before);
  });
});
