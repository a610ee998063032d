import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createHttpTransport, type Transport } from "../../src/export/transport.js";

let server: Server | undefined;
let transport: Transport | undefined;
afterEach(async () => {
  transport?.close();
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<URL> {
  server = createServer(handler);
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`);
}

const send = (url: URL, extra: Partial<Parameters<Transport["send"]>[0]> = {}) => {
  transport = createHttpTransport();
  return transport.send({
    url,
    headers: { "content-type": "application/json" },
    body: Buffer.from("{}"),
    timeoutMs: 2000,
    maxResponseBytes: 1024,
    ...extra,
  });
};

describe("http transport", () => {
  it("reads at most maxResponseBytes of the response body", async () => {
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
    expect(r.kind === "response" && r.body.length).toBe(1024);
    await new Promise((res) => setTimeout(res, 50));
    expect(finished).toBe(false); // the socket was destroyed, the 12.8 MB were never all read
  });

  it("enforces an absolute deadline that a trickled body cannot extend", async () => {
    const url = await serve((req, res) => {
      req.resume();
      res.writeHead(503);
      const t = setInterval(() => res.write("."), 20);
      res.on("close", () => clearInterval(t));
    });
    const t0 = Date.now();
    const r = await send(url, { timeoutMs: 300 });
    expect(Date.now() - t0).toBeLessThan(800);
    expect(r).toMatchObject({ kind: "response", status: 503, complete: false });
  });

  it("times out a request that never gets headers and destroys the socket", async () => {
    let closed = false;
    const url = await serve((req) => {
      req.resume();
      req.socket.on("close", () => (closed = true));
    });
    const r = await send(url, { timeoutMs: 200 });
    expect(r).toMatchObject({ kind: "error", reason: "timeout" });
    await new Promise((res) => setTimeout(res, 50));
    expect(closed).toBe(true);
  });

  it("aborts on signal and reports refused connections as network errors", async () => {
    const url = await serve((req) => req.resume());
    const ac = new AbortController();
    const p = send(url, { signal: ac.signal, timeoutMs: 5000 });
    setTimeout(() => ac.abort(), 50);
    expect(await p).toMatchObject({ kind: "error", reason: "aborted" });
    expect(await send(new URL("http://127.0.0.1:9/v1/traces"))).toMatchObject({ kind: "error", reason: "network" });
  });

  it("returns redirects as responses without following them", async () => {
    const url = await serve((req, res) => {
      req.resume();
      res.writeHead(302, { location: "http://127.0.0.1:9/elsewhere" });
      res.end();
    });
    expect(await send(url)).toMatchObject({ kind: "response", status: 302, complete: true });
  });
});
