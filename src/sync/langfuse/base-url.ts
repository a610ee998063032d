import { LangfuseError } from "./errors.js";

/**
 * Outbound guard for a user-supplied Langfuse origin: http(s) only, no credentials embedded in
 * the URL (they would leak into logs and bypass Basic auth), no query or fragment. A path prefix
 * is kept (self-hosted behind a reverse proxy). Returns the URL without a trailing slash.
 */
export function parseBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new LangfuseError({ code: "invalid_base_url", message: "base_url is not a valid URL; use e.g. https://cloud.langfuse.com" });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new LangfuseError({ code: "invalid_base_url", message: `base_url must use http:// or https:// (got ${url.protocol}//)` });
  }
  if (url.username || url.password) {
    throw new LangfuseError({
      code: "invalid_base_url",
      message: "base_url must not contain credentials (user:password@); put the keys in public_key/secret_key",
    });
  }
  if (url.search || url.hash) {
    throw new LangfuseError({ code: "invalid_base_url", message: "base_url must not contain a query string or fragment" });
  }
  url.pathname = url.pathname.replace(/\/+$/, "");
  return url;
}

/** `https://host[:port][/prefix]` without a trailing slash, for display and for `langfuse.trace.url`. */
export function baseUrlString(url: URL): string {
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}
