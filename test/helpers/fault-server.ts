import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { gunzipSync } from "node:zlib";

/** What the fault server does with one request. */
export type Fault =
  | { status: number; headers?: Record<string, string>; body?: string }
  | { hang: true } // read the request, never answer
  | { trickle: true; status?: number } // send headers, then one byte per 100 ms forever
  | { destroy: true }; // reset the connection

export interface FaultRequest {
  at: number;
  url: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  /** Decoded OTLP JSON body (gunzipped when needed). */
  body: any;
  spanNames: string[];
}

/**
 * A programmable OTLP endpoint on 127.0.0.1:0 that records every request and the highest number
 * of requests it ever had open at once.
 */
export class FaultServer {
  readonly requests: FaultRequest[] = [];
  /** Decide per request (0-based index); default 200. */
  plan: (index: number, req: FaultRequest) => Fault = () => ({ status: 200 });
  maxOpen = 0;
  connections = 0;
  url = "";
  private open = 0;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.open++;
      this.maxOpen = Math.max(this.maxOpen, this.open);
      let closed = false;
      const close = () => {
        if (!closed) this.open--;
        closed = true;
      };
      res.on("close", close);
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const raw = Buffer.concat(chunks);
        let body: any;
        try {
          body = JSON.parse((req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString("utf8"));
        } catch {
          body = undefined;
        }
        const spanNames: string[] = [];
        for (const rs of body?.resourceSpans ?? [])
          for (const ss of rs.scopeSpans ?? []) for (const s of ss.spans ?? []) spanNames.push(s.name);
        const record: FaultRequest = { at: Date.now(), url: req.url ?? "", headers: req.headers, raw, body, spanNames };
        this.requests.push(record);
        this.act(this.plan(this.requests.length - 1, record), res);
      });
    });
    this.server.on("connection", (s) => {
      this.connections++;
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  private act(f: Fault, res: ServerResponse): void {
    if ("hang" in f) return;
    if ("destroy" in f) return void res.socket?.destroy();
    if ("trickle" in f) {
      res.writeHead(f.status ?? 200, { "content-type": "application/json" });
      const t = setInterval(() => res.write(" "), 100);
      this.timers.add(t);
      res.on("close", () => clearInterval(t));
      return;
    }
    res.writeHead(f.status, { "content-type": "application/json", ...f.headers });
    res.end(f.body ?? "{}");
  }

  /** Every span name received in requests the plan answered with 2xx. */
  spanNames(filter: (i: number) => boolean = () => true): string[] {
    return this.requests.flatMap((r, i) => (filter(i) ? r.spanNames : []));
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
