// Privacy and control (docs/privacy.md), runnable: set BENTOLABS_API_KEY (and BENTOLABS_BASE_URL) first.
// Redact PII and secrets at export, pseudonymize user ids, sample whole runs, tag environment and release.
import * as bento from "@bentolabs/sdk";

bento.init({
  redaction: { detectors: "all", hashKey: process.env.PII_HASH_KEY ?? "example-hash-key-change-me" },
  // Pseudonymize user ids (they still group), drop an internal key; detectors run on what this returns.
  redact: (value, { key, hash }) => (key === "gen_ai.user.id" ? hash(value) : key === "internal.note" ? undefined : value),
  sampleRate: 0, // send no runs... except those with an error (the default `keep` rule)
  environment: "staging",
  release: "1.4.2",
});

async function supportAgent(question) {
  return bento.begin({ event: "support_agent", userId: "jane@acme.com", input: question }, async (t) => {
    await bento.toolSpan("lookup_customer", { input: { email: "jane@acme.com" }, properties: { "internal.note": "vip" } }, async () => {
      if (question.includes("refund")) throw new Error("billing API rejected card 4111 1111 1111 1111");
      return { plan: "pro" };
    });
    t.finish({ output: "Done. Reach us at +1 415 555 2671." });
  });
}

await supportAgent("What is my plan?").catch(() => {}); // sampled out: never sent
await supportAgent("Please refund my last order").catch(() => {}); // has an error: kept, redacted
const { ok } = await bento.flush();
const { exported, sampled_out } = bento.stats();
console.log(`flush ok=${ok}, exported ${exported} spans, sampled out ${sampled_out}`);
