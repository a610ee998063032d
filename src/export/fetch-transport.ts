import { context } from "@opentelemetry/api";
import { suppressTracing } from "@opentelemetry/core";
import type { Send, SendResult, Transport } from "./transport.js";

type Fetch = (input: URL, init: RequestInit) => Promise<Response>;

/**
 * HTTP POST through the runtime's `fetch`: the transport of the edge build (Workers, Vercel Edge)
 * with the same guarantees as the Node one. The deadline is absolute (it covers the response
 * body too, so a trickled body cannot extend it) and aborts the request; at most
 * `maxResponseBytes` of the body are read before the stream is cancelled; redirects are returned,
 * not followed; the request runs with tracing suppressed. `close()` aborts what is in flight.
 */
export function createFetchTransport(fetchImpl: Fetch = (input, init) => fetch(input, init)): Transport {
  const live = new Set<AbortController>();
  const send: Send = (r) => context.with(suppressTracing(context.active()), () => attempt(r));

  const attempt: Send = async (r) => {
    if (r.signal?.aborted) return aborted();
    const ctl = new AbortController();
    let timedOut = false;
    const onAbort = () => ctl.abort();
    const timer = setTimeout(() => {
      timedOut = true;
      ctl.abort();
    }, r.timeoutMs);
    r.signal?.addEventListener("abort", onAbort, { once: true });
    live.add(ctl);
    const failed = (err: unknown): SendResult => {
      if (timedOut) return { kind: "error", reason: "timeout", message: `no response within ${r.timeoutMs} ms` };
      if (ctl.signal.aborted) return aborted();
      return { kind: "error", reason: "network", message: describe(err) };
    };
    try {
      let res: Response;
      try {
        res = await fetchImpl(r.url, {
          method: "POST",
          headers: r.headers,
          body: r.body as RequestInit["body"],
          redirect: "manual",
          signal: ctl.signal,
        });
      } catch (err) {
        return failed(err);
      }
      const retryAfter = res.headers.get("retry-after") ?? undefined;
      // Headers already said 2xx/4xx/5xx: the verdict is known even if the body never ends.
      const { body, complete } = await readAtMost(res, r.maxResponseBytes);
      if (!complete && !timedOut && ctl.signal.aborted) return aborted();
      return { kind: "response", status: res.status, retryAfter, body, complete };
    } finally {
      clearTimeout(timer);
      r.signal?.removeEventListener("abort", onAbort);
      live.delete(ctl);
    }
  };

  return {
    send,
    close() {
      for (const ctl of live) ctl.abort();
      live.clear();
    },
  };
}

/** Read up to `max` bytes of the body, then cancel the stream. `complete` is false when cut or aborted. */
async function readAtMost(res: Response, max: number): Promise<{ body: Uint8Array; complete: boolean }> {
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = res.body?.getReader();
  if (!reader) return { body: new Uint8Array(0), complete: true };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { body: concat(chunks, received), complete: true };
      const keep = Math.min(value.byteLength, max - received);
      if (keep > 0) chunks.push(keep === value.byteLength ? value : value.subarray(0, keep));
      received += keep;
      if (received >= max && keep < value.byteLength) break;
      if (received >= max) {
        // Exactly at the cap: one more read tells a complete body from a longer one.
        const next = await reader.read();
        if (next.done) return { body: concat(chunks, received), complete: true };
        break;
      }
    }
  } catch {
    return { body: concat(chunks, received), complete: false };
  }
  reader.cancel().catch(() => {});
  return { body: concat(chunks, received), complete: false };
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

const aborted = (): SendResult => ({ kind: "error", reason: "aborted", message: "export aborted" });

function describe(err: unknown): string {
  const e = err as { message?: string; cause?: { message?: string; code?: string } };
  const cause = e?.cause?.code ?? e?.cause?.message;
  return cause ? `${e.message ?? String(err)} (${cause})` : (e?.message ?? String(err));
}
