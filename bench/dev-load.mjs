// The load generator of `npm run bench:dev`, in its own process as a real sender is: on each
// message it builds the OTLP bodies of one round (bench/dev-data.mjs), posts them with `inFlight`
// requests outstanding, and answers with the spans sent and the seconds it took.
import { otlpBodies, postAll } from "./dev-data.mjs";

process.on("message", async ({ url, apiKey, run, traces, perTrace, batch, inFlight }) => {
  try {
    const bodies = otlpBodies({ run, traces, perTrace, batch });
    process.send({ ok: await postAll({ url, apiKey, bodies, inFlight }) });
  } catch (err) {
    process.send({ error: String(err?.stack ?? err) });
  }
});
