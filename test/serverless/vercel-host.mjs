// What Vercel's Edge platform provides around a route handler, for the edge-runtime test: a
// per-request context published under Symbol.for("@vercel/request-context") (what
// @vercel/functions' waitUntil() reads), scoped by the AsyncLocalStorage the platform exposes.
import { GET, POST } from "../../examples/serverless-vercel/route.mjs";

const requestContext = new AsyncLocalStorage();
globalThis[Symbol.for("@vercel/request-context")] = { get: () => requestContext.getStore() };

addEventListener("fetch", (event) => {
  const handler = event.request.method === "POST" ? POST : GET;
  event.respondWith(requestContext.run({ waitUntil: (p) => event.waitUntil(p) }, () => handler(event.request)));
});
