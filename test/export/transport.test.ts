import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createFetchTransport } from "../../src/export/fetch-transport.js";
import { createHttpTransport, type Transport } from "../../src/export/transport.js";

// The guarantees both transports give, against real local servers: node:http (Node's default) and
// fetch (the edge build's, run here on Node's own fetch). Transport-specific tests live in
// fetch-transport.test.ts.
const TRANSPORTS: Array<[string, () => Transport]> = [
  ["node:http", () => createHttpTransport()],
  ["fetch", () => createFetchTransport()],
];

let server: Server | undefined;
let transport: Transport | undefined;
afterEach(async () => {
  transport?.close();
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<URL> {
  server = createServer(handler);
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`);
}

const sender =
  (create: () => Transport) =>
  (url: URL, extra: Partial<Parameters<Transport["send"]>[0]> = {}) => {
    transport = create();
    return transport.send({
      url,
      headers: { "content-type": "application/json" },
      body: new TextEncoder().encode("{}"),
      timeoutMs: 2000,
      maxResponseBytes: 1024,
      ...extra,
    });
  };

describe.each(TRANSPORTS)("%s transport", (_name, create) => {
  const send = sender(create);
  it("reads at most maxResponseBytes of the response body and stops reading", async () => {
    let finished = false;
    const url = await serve((req, res) => {
      req.resume();
      res.writeHead(200);
      res.on("finish", () => (finished = true));
      const chunk = Buffer.alloc(64 * 1024, 120);
      let sent = 0;
      const pump = () => {
        while (sent < 200 && res.write(chunk)) sent++;
        if (sent < 200) res.once("drain", pump);
        else res.end();
      };
      pump();
    });
    const r = await send(url);
    expect(r).toMatchObject({ kind: "response", status: 200, complete: false });
    expect(r.kind === "response" && r.body.byteLength).toBe(1024);
    await new Promise((res) => setTimeout(res, 50));
    expect(finished).toBe(false); // the response was cut off: the 12.8 MB were never all read
  });

  it("keeps a body of exactly maxResponseBytes as complete", async () => {
    const url = await serve((req, res) => {
      req.resume();
      res.writeHead(200);
      res.end("x".repeat(1024));
    });
    expect(await send(url)).toMatchObject({ kind: "response", status: 200, complete: true });
  });

  it("enforces an absolute deadline that a trickled body cannot extend", async () => {
    const url = await serve((req, res) => {
      req.resume();
      res.writeHead(503, { "retry-after": "7" });
      const t = setInterval(() => res.write("."), 20);
      res.on("close", () => clearInterval(t));
    });
    const t0 = Date.now();
    const r = await send(url, { timeoutMs: 300 });
    expect(Date.now() - t0).toBeLessThan(800);
    expect(r).toMatchObject({ kind: "response", status: 503, retryAfter: "7", complete: false });
  });

  it("times out a request that never gets headers and closes the connection", async () => {
    let closed = false;
    const url = await serve((req) => {
      req.resume();
      req.socket.on("close", () => (closed = true));
    });
    const r = await send(url, { timeoutMs: 200 });
    expect(r).toMatchObject({ kind: "error", reason: "timeout" });
    await new Promise((res) => setTimeout(res, 100));
    expect(closed).toBe(true);
  });

  it("aborts on signal and on close(), and reports refused connections as network errors", async () => {
    const url = await serve((req) => req.resume());
    const ac = new AbortController();
    const p = send(url, { signal: ac.signal, timeoutMs: 5000 });
    setTimeout(() => ac.abort(), 50);
    expect(await p).toMatchObject({ kind: "error", reason: "aborted" });
    const q = send(url, { timeoutMs: 5000 });
    setTimeout(() => transport!.close(), 50); // closing the transport aborts what is in flight
    expect(await q).toMatchObject({ kind: "error", reason: "aborted" });
    expect(await send(new URL("http://127.0.0.1:9/v1/traces"))).toMatchObject({ kind: "error", reason: "network" });
  });

  it("returns redirects as responses without following them", async () => {
    let hits = 0;
    const url = await serve((req, res) => {
      hits++;
      req.resume();
      res.writeHead(302, { location: "/elsewhere" });
      res.end();
    });
    expect(await send(url)).toMatchObject({ kind: "response", status: 302, complete: true });
    expect(hits).toBe(1);
  });
});
