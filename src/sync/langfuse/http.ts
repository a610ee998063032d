import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { LangfuseError } from "./errors.js";

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface SendOptions {
  url: URL;
  headers: Record<string, string>;
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
}

/**
 * One GET with the outbound guards applied: a hard deadline for the whole exchange, a cap on the
 * response size (the socket is destroyed past it), and redirects never followed (a 3xx comes back
 * as a response; the caller turns it into an error, so Authorization never reaches another URL).
 */
export function sendGet(opts: SendOptions): Promise<RawResponse> {
  const path = opts.url.pathname;
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new LangfuseError({ code: "aborted", message: `GET ${path} aborted`, path }));
      return;
    }
    const request = opts.url.protocol === "https:" ? httpsRequest : httpRequest;
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
      fn();
    };
    const req = request(opts.url, { method: "GET", headers: { accept: "application/json", ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > opts.maxBytes) {
          req.destroy();
          finish(() =>
            reject(
              new LangfuseError({
                code: "response_too_large",
                message: `GET ${path}: response exceeds ${opts.maxBytes} bytes; narrow the time window or lower the page size`,
                path,
              }),
            ),
          );
          return;
        }
        chunks.push(chunk);
      });
      res.on("end", () =>
        finish(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") })),
      );
      res.on("error", (err) => finish(() => reject(networkError(path, err))));
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish(() => reject(new LangfuseError({ code: "timeout", message: `GET ${path} timed out after ${opts.timeoutMs} ms`, path })));
    }, opts.timeoutMs);
    timer.unref?.();
    const onAbort = () => {
      req.destroy();
      finish(() => reject(new LangfuseError({ code: "aborted", message: `GET ${path} aborted`, path })));
    };
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    req.on("error", (err) => finish(() => reject(networkError(path, err))));
    req.end();
  });
}

function networkError(path: string, err: Error): LangfuseError {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code ? `${code}` : err.message;
  return new LangfuseError({ code: "network_error", message: `GET ${path} failed: could not reach Langfuse (${why})`, path, cause: err });
}
