import type { ServerResponse } from "node:http";
import { HttpError } from "./http.js";
import type { Router } from "./router.js";
import type { Store } from "./store/index.js";

export interface LiveOptions {
  /** Open event streams at most; more get 503. Default 32. */
  maxClients?: number;
  /** Changed traces are announced at most this often, coalesced. Default 150 ms. */
  flushMs?: number;
  /** A comment line keeps proxies and browsers from timing out idle streams. Default 15 s. */
  heartbeatMs?: number;
  /** Distinct trace ids held between flushes; beyond it one `overflow` event says "reload". Default 500. */
  maxPending?: number;
  /** A client that lets this much output pile up unread is disconnected. Default 256 KiB. */
  maxBufferedBytes?: number;
}

/**
 * Server-sent events announcing new and updated traces (`event: traces`, data
 * `{"trace_ids":[…],"overflow":false}`). Bounded: a fixed number of clients, a capped set of
 * pending ids flushed every `flushMs`, and slow readers dropped instead of buffered.
 */
export class LiveHub {
  private readonly clients = new Set<ServerResponse>();
  private pending = new Set<string>();
  private overflow = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly o: Required<LiveOptions>;

  constructor(options: LiveOptions = {}) {
    this.o = { maxClients: 32, flushMs: 150, heartbeatMs: 15_000, maxPending: 500, maxBufferedBytes: 256 * 1024, ...options };
    this.heartbeat = setInterval(() => this.broadcast(": keep-alive\n\n"), this.o.heartbeatMs).unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Start an event stream on `res`; it stays open until the client goes away or the hub closes. */
  attach(res: ServerResponse): void {
    if (this.clients.size >= this.o.maxClients) {
      throw new HttpError(
        503,
        "too_many_live_clients",
        `At most ${this.o.maxClients} live viewers may connect at once; close a viewer tab and retry.`,
      );
    }
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    res.write("retry: 2000\n: connected\n\n");
    this.clients.add(res);
    res.on("close", () => this.clients.delete(res));
  }

  /** Note that these traces changed; clients hear about them within `flushMs`. */
  announce(rows: ReadonlyArray<{ trace_id: string }>): void {
    if (this.clients.size === 0) return;
    for (const r of rows) {
      if (this.pending.size >= this.o.maxPending) {
        this.overflow = true;
        break;
      }
      this.pending.add(r.trace_id);
    }
    this.flushTimer ??= setTimeout(() => this.flush(), this.o.flushMs).unref();
  }

  /** End every stream and stop the timers. */
  close(): void {
    clearInterval(this.heartbeat);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private flush(): void {
    this.flushTimer = undefined;
    const data = { trace_ids: this.overflow ? [] : [...this.pending], overflow: this.overflow };
    this.pending = new Set();
    this.overflow = false;
    this.broadcast(`event: traces\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private broadcast(text: string): void {
    for (const res of this.clients) {
      if (res.writableLength > this.o.maxBufferedBytes) {
        this.clients.delete(res);
        res.destroy();
        continue;
      }
      res.write(text);
    }
  }
}

/** `store` whose writes (OTLP ingest and Langfuse imports alike) are announced on `hub`. */
export function announceWrites(store: Store, hub: LiveHub): Store {
  return new Proxy(store, {
    get(target, prop) {
      if (prop === "write") {
        return async (...args: Parameters<Store["write"]>) => {
          await target.write(...args);
          hub.announce(args[0]);
        };
      }
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

/** `GET /workspaces/{ws}/live`: the event stream (bearer auth, like the read API). */
export function registerLive(router: Router, hub: LiveHub, workspaceId: string): void {
  router.on("GET", "/workspaces/:ws/live", ({ params, res }) => {
    if (params.ws !== workspaceId) throw new HttpError(404, "not_found", `No workspace with id ${JSON.stringify(params.ws)}.`);
    hub.attach(res);
  });
}
