import type { IncomingMessage, ServerResponse } from "node:http";
import type { Router } from "../router.js";
import { renderPage } from "./page.js";
import { VIEWER_JS } from "./script.js";
import { VIEWER_CSS } from "./style.js";

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

function send(res: ServerResponse, type: string, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(200, {
    "content-type": `${type}; charset=utf-8`,
    "content-length": Buffer.byteLength(body),
    "x-content-type-options": "nosniff",
    ...extra,
  });
  res.end(body);
}

/** True when the browser addressed us by a loopback name (not a DNS-rebound foreign name). */
function loopbackHostHeader(req: IncomingMessage): boolean {
  const host = (req.headers.host ?? "")
    .toLowerCase()
    .replace(/:\d+$/, "")
    .replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Serve the viewer (page, script, styles) without auth. The page calls the read API with the
 * dev key, which is embedded in the page only when the server binds loopback and the request's
 * Host is a loopback name; otherwise the page asks the user for the key.
 */
export function registerViewer(router: Router, opts: { apiKey: string; workspaceId: string; injectKey: boolean }): Set<string> {
  const page = (req: IncomingMessage, res: ServerResponse) => {
    const key = opts.injectKey && loopbackHostHeader(req) ? opts.apiKey : undefined;
    send(res, "text/html", renderPage({ workspaceId: opts.workspaceId, apiKey: key }), {
      "content-security-policy": CSP,
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
      "x-frame-options": "DENY",
    });
  };
  router
    .on("GET", "/", ({ req, res }) => page(req, res))
    .on("GET", "/index.html", ({ req, res }) => page(req, res))
    .on("GET", "/assets/viewer.js", ({ res }) => send(res, "text/javascript", VIEWER_JS, { "cache-control": "no-cache" }))
    .on("GET", "/assets/viewer.css", ({ res }) => send(res, "text/css", VIEWER_CSS, { "cache-control": "no-cache" }));
  return new Set(["/", "/index.html", "/assets/viewer.js", "/assets/viewer.css"]);
}
