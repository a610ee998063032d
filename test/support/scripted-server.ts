import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type Step = (req: IncomingMessage, res: ServerResponse) => void;

export interface ScriptedServer {
  url: string;
  /** Arrival time (ms, performance.now) and method+path of every request. */
  hits: Array<{ at: number; method: string; path: string; authorization: string | undefined }>;
  close(): Promise<void>;
}

/** Answer the n-th request with `steps[n]` (the last step repeats). Real HTTP on 127.0.0.1:0. */
export async function startScripted(steps: Step[]): Promise<ScriptedServer> {
  const hits: ScriptedServer["hits"] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    hits.push({ at: performance.now(), method: req.method ?? "", path: req.url ?? "", authorization: req.headers.authorization });
    req.resume();
    const step = steps[Math.min(hits.length - 1, steps.length - 1)]!;
    step(req, res);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Step =>
  (_req, res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
  };

/** Accept the request and never answer. */
export const hang: Step = () => {};

/** Send headers and half a body, then stall. */
export const stallBody: Step = (_req, res) => {
  res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
  res.write('{"items":[');
};

/** A loopback URL nobody listens on (a port that was just freed), for "connection refused". */
export async function closedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
