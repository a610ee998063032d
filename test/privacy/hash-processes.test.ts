import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runNode } from "../helpers/child.js";
import { Receiver, TEST_KEY } from "../helpers/receiver.js";

const receiver = new Receiver();
beforeAll(() => receiver.start());
afterAll(() => receiver.stop());

/** One process: hash-mode redaction of an email user id, plus the hook's hash() of a plain id. */
function emitFrom(hashKey: string, event: string) {
  const script = `
    import * as bento from "./dist/index.js";
    bento.init({
      redaction: { detectors: ["email"], mode: "hash", hashKey: ${JSON.stringify(hashKey)} },
      redact: (v, { key, hash }) => (key === "customer" ? hash(v) : v),
    });
    bento.trackAi({ event: ${JSON.stringify(event)}, userId: "jane@acme.com", properties: { customer: "cust_42" } });
    const r = await bento.flush();
    if (!r.ok) process.exit(3);
  `;
  return runNode(script, { env: { BENTOLABS_API_KEY: TEST_KEY, BENTOLABS_BASE_URL: receiver.url } });
}

describe("hash mode across processes", () => {
  it("gives the same pseudonym in separate processes with the same key, another with another key", async () => {
    const key = "shared-hash-key-0123456789";
    const runs = await Promise.all([emitFrom(key, "a"), emitFrom(key, "b"), emitFrom(key + "-rotated", "c")]);
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
    const [a, b, c] = ["a", "b", "c"].map((n) => receiver.span(n).attributes);
    expect(a!["gen_ai.user.id"]).toMatch(/^\[REDACTED:email:hmac_[a-p]{16}\]$/);
    expect(a!.customer).toMatch(/^hmac_[a-p]{16}$/);
    expect(b!["gen_ai.user.id"]).toBe(a!["gen_ai.user.id"]);
    expect(b!.customer).toBe(a!.customer);
    expect(c!["gen_ai.user.id"]).not.toBe(a!["gen_ai.user.id"]);
    expect(c!.customer).not.toBe(a!.customer);
    expect(JSON.stringify(receiver.requests.map((r) => r.body))).not.toContain("jane@acme.com");
  });
});
