import { maskSecret } from "../log.js";
import type { Io } from "./io.js";
import { maskSecrets } from "./mask.js";

/**
 * `--verbose`: a fetch that echoes each request to stderr before sending it. The body is shown
 * with secret fields masked and the Authorization header is never shown in full.
 */
export function verboseFetch(io: Io, apiKey: string, inner: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    io.err(`> ${init?.method ?? "GET"} ${url}`);
    io.err(`> authorization: Bearer ${maskSecret(apiKey)}`);
    if (typeof init?.body === "string") {
      let shown: string;
      try {
        shown = JSON.stringify(maskSecrets(JSON.parse(init.body)));
      } catch {
        shown = "(non-JSON body)";
      }
      io.err(`> ${shown}`);
    }
    const res = await inner(input, init);
    io.err(`< ${res.status} ${res.statusText}`);
    return res;
  };
}
