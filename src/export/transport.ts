import http from "node:http";
import https from "node:https";
import { context } from "@opentelemetry/api";
import { suppressTracing } from "@opentelemetry/core";

/** One HTTP attempt. `body` is already encoded (and compressed when `headers` say so). */
export interface SendRequest {
  url: URL;
  headers: Record<string, string>;
  body: Uint8Array;
  /** Absolute deadline for the whole attempt: connect, headers and response body. */
  timeoutMs: number;
  /** Response body bytes kept; the rest is discarded and the socket destroyed. */
  maxResponseBytes: number;
  signal?: AbortSignal;
}

/** What one attempt produced. Never a thrown error. */
export type SendResult =
  | { kind: "response"; status: number; retryAfter?: string; body: Uint8Array; complete: boolean }
  | { kind: "error"; reason: "timeout" | "network" | "aborted"; message: string };

export type Send = (req: SendRequest) => Promise<SendResult>;

/** A transport also owns connections that must be released on shutdown. */
export interface Transport {
  send: Send;
  /** Release the connections; a request still in flight ends as `aborted` (not retried). */
  close(): void;
}

/**
 * HTTP(S) POST over a dedicated keep-alive agent. The deadline is absolute (a trickled body
 * cannot extend it) and destroys the socket; sockets never keep the process alive; redirects
 * are not followed. Requests run with tracing suppressed, so an app's HTTP instrumentation does
 * not trace them (and a BentoSpanProcessor in that app's pipeline cannot export its own requests).
 */
export function createHttpTransport(): Transport {
  const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 1 }), https: new https.Agent({ keepAlive: true, maxSockets: 1 }) };
  // each request in flight, as the function that ends it as aborted
  const live = new Set<() => void>();
  // The whole attempt (request, listeners, end) runs in one suppressed context: instrumentations
  // decide at different moments (request creation, socket, first write) whether to trace.
  const send: Send = (r) => context.with(suppressTracing(context.active()), () => attempt(r));
  const attempt: Send = (r) =>
    new Promise<SendResult>((resolve) => {
      const isHttps = r.url.protocol === "https:";
      let settled = false;
      let status = 0;
      let retryAfter: string | undefined;
      const chunks: Buffer[] = [];
      let received = 0;
      let req: http.ClientRequest | undefined;
      const finish = (result: SendResult, destroy: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        r.signal?.removeEventListener("abort", onAbort);
        live.delete(onAbort);
        if (destroy) req?.destroy();
        resolve(result);
      };
      const partial = (): SendResult | undefined =>
        status ? { kind: "response", status, retryAfter, body: Buffer.concat(chunks), complete: false } : undefined;
      const onAbort = () => finish({ kind: "error", reason: "aborted", message: "export aborted" }, true);
      const timer = setTimeout(() => {
        // Headers already said 2xx/4xx/5xx: the verdict is known even if the body never ends.
        finish(partial() ?? { kind: "error", reason: "timeout", message: `no response within ${r.timeoutMs} ms` }, true);
      }, r.timeoutMs);
      timer.unref();
      if (r.signal?.aborted) return onAbort();
      r.signal?.addEventListener("abort", onAbort, { once: true });
      try {
        req = (isHttps ? https : http).request(r.url, {
          method: "POST",
          headers: { ...r.headers, "content-length": String(r.body.byteLength) },
          agent: isHttps ? agents.https : agents.http,
        });
      } catch (err) {
        return finish({ kind: "error", reason: "network", message: (err as Error).message }, false);
      }
      live.add(onAbort);
      req.on("socket", (s) => s.unref());
      req.on("error", (err) => finish(partial() ?? { kind: "error", reason: "network", message: err.message }, true));
      req.on("response", (res) => {
        status = res.statusCode ?? 0;
        const ra = res.headers["retry-after"];
        retryAfter = Array.isArray(ra) ? ra[0] : ra;
        res.on("data", (c: Buffer) => {
          if (received >= r.maxResponseBytes) return finish(partial()!, true);
          const keep = Math.min(c.length, r.maxResponseBytes - received);
          chunks.push(keep === c.length ? c : c.subarray(0, keep));
          received += keep;
        });
        res.on("end", () => finish({ kind: "response", status, retryAfter, body: Buffer.concat(chunks), complete: true }, false));
        res.on("error", () => finish(partial()!, true));
      });
      req.end(r.body);
    });
  return {
    send,
    close() {
      // ended as aborted, not as the network error destroying the socket would give (which retries)
      for (const abort of [...live]) abort();
      live.clear();
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
