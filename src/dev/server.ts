import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { log } from "../log.js";
import { type Clock, systemClock } from "../sync/clock.js";
import { FileSyncStore } from "../sync/file-store.js";
import { type SchedulerOptions, SyncScheduler } from "../sync/scheduler.js";
import { SyncService } from "../sync/service.js";
import { requireBearer } from "./auth.js";
import { loadOrCreateCredentials } from "./credentials.js";
import { type Footprint, measureFootprint } from "./footprint.js";
import { HttpError, sendError, sendJson } from "./http.js";
import { handleIngest } from "./ingest.js";
import { announceWrites, LiveHub, registerLive } from "./live.js";
import { lockDataDir } from "./lock.js";
import { ShapeError } from "./otlp-values.js";
import { registerPlatformRoutes } from "./platform-routes.js";
import { loadPrices } from "./prices/index.js";
import { registerReadApi } from "./read-api.js";
import { DEFAULT_RETENTION, describeRetention, type RetentionPolicy, startRetention } from "./retention.js";
import { Router } from "./router.js";
import { openStore } from "./store/index.js";
import { registerSyncRoutes } from "./sync-routes.js";
import { storeSink } from "./sync-sink.js";
import { registerViewer } from "./viewer/routes.js";

export interface DevServerOptions {
  /** TCP port; 0 (the default here) picks a free one. The CLI defaults to 8080. */
  port?: number;
  /** Interface to bind. Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Where the dev key and the embedded database live. Default `./.bentolabs`. */
  dataDir?: string;
  /** Use this PostgreSQL server instead of the embedded database (needs the `pg` package). */
  databaseUrl?: string;
  /** Run the embedded database in its own worker thread (default `true`); `false` keeps it on the main thread. */
  engineThread?: boolean;
  /** Milliseconds since the epoch; injectable for tests. Default `Date.now`. */
  clock?: () => number;
  /** Largest accepted request body, compressed or not, in bytes. Default 16 MiB. */
  maxBodyBytes?: number;
  /** What to keep; older runs and spans beyond the count are trimmed whole in the background.
   * Default: 7 days and 1,000,000 spans (`{}` keeps everything). */
  retention?: RetentionPolicy;
  /** How often retention runs, in ms. Default 60 s (first pass ~5 s after start). */
  retentionIntervalMs?: number;
  /** Langfuse sync (SPEC §8): scheduler clock/timers and importer options; injectable for tests. */
  sync?: { clock?: Clock; importer?: SchedulerOptions["importer"] };
  /** A JSON price file extending the bundled price table (`--prices`); see docs/dev-server.md. */
  pricesFile?: string;
  /** Keep the trigram index that makes searching for rare text fast (`--search-index`), filled in the
   * background off the ingest path. Default true; false drops it and its copy of the span text (see
   * docs/dev-server.md). */
  searchIndex?: boolean;
}

export interface DevServer {
  /** Base URL to use as `BENTOLABS_BASE_URL`, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  readonly workspaceId: string;
  /** The persisted dev key (`bl_pk_dev_…`) to use as `BENTOLABS_API_KEY`. */
  readonly apiKey: string;
  /** Where spans are stored, for display. */
  readonly storage: string;
  /** The retention policy in words, e.g. `7 days, 1,000,000 spans` or `off`. */
  readonly retention: string;
  /** Disk footprint and counts of what is stored (also in `GET /health`). */
  footprint(): Promise<Footprint>;
  /** Stop accepting, finish in-flight requests, then close the database. Idempotent. */
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY = 16 * 1024 * 1024;

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/**
 * Start the local Bento-compatible server: OTLP/HTTP JSON ingest at `/v1/traces`, the read API,
 * and the trace viewer at `/`.
 *
 * @example
 * const server = await startDevServer({ dataDir: "./.bentolabs" });
 * bento.init({ apiKey: server.apiKey, baseUrl: server.url });
 * // …
 * await server.close();
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const host = options.host ?? "127.0.0.1";
  const dataDir = resolve(options.dataDir ?? ".bentolabs");
  const clock = options.clock ?? Date.now;
  const prices = await loadPrices(options.pricesFile);
  const creds = await loadOrCreateCredentials(dataDir);
  const lock = await lockDataDir(dataDir);
  let store;
  const live = new LiveHub();
  try {
    store = await openStore({
      dataDir,
      databaseUrl: options.databaseUrl,
      engineThread: options.engineThread,
      workspaceId: creds.workspaceId,
      searchIndex: options.searchIndex,
      warn: (message) => log.warn(`dev server: ${message}`),
    });
  } catch (err) {
    live.close();
    await lock.release();
    throw err;
  }
  store = announceWrites(store, live);
  if (!store.search.indexed && options.searchIndex !== false) {
    log.warn(
      `dev server: run search has no trigram index (${store.search.reason}); searching for rare text scans every span. ` +
        "Let this database create the pg_trgm extension (CREATE EXTENSION pg_trgm, as its owner or a superuser) and restart.",
    );
  }

  const router = new Router();
  const ingestDeps = {
    store,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY,
    now: () => new Date(clock()),
    warn: (message: string) => log.warn(message),
  };
  router.on("POST", "/v1/traces", (ctx) => handleIngest(ctx.req, ctx.res, ingestDeps));
  registerReadApi(router, store, creds.workspaceId, prices);
  registerPlatformRoutes(router, creds);
  registerLive(router, live, creds.workspaceId);
  // Langfuse sources: credentials (secrets in <dataDir>/sync, 0600), schedule, reports, doctor
  const syncClock: Clock = options.sync?.clock ?? { ...systemClock, now: clock };
  let syncStore: FileSyncStore;
  try {
    syncStore = await FileSyncStore.open(dataDir);
  } catch (err) {
    live.close();
    await store.close().catch(() => undefined);
    await lock.release();
    throw err;
  }
  const scheduler = new SyncScheduler({
    store: syncStore,
    // received_at is the server's clock, the one retention ages runs by (the sync clock only
    // schedules imports; in tests it is a manual clock set to the dataset's date)
    sink: storeSink(store, () => new Date(clock())),
    clock: syncClock,
    importer: options.sync?.importer,
    onError: (err) => log.error(`dev server: Langfuse import failed: ${(err as Error)?.message ?? String(err)}`),
  });
  const syncService = new SyncService({ store: syncStore, clock: syncClock, onScheduleChange: () => scheduler.poke() });
  registerSyncRoutes(router, syncService, creds.workspaceId);
  const publicPaths = registerViewer(router, { ...creds, injectKey: isLoopbackHost(host) });
  router.on("GET", "/healthz", ({ res }) => sendJson(res, 200, { status: "ok" }));
  publicPaths.add("/healthz");
  const policy = options.retention ?? DEFAULT_RETENTION;
  const retention = startRetention({
    store,
    policy,
    now: () => new Date(clock()),
    intervalMs: options.retentionIntervalMs,
    onError: (err) => log.error(`dev server: retention failed: ${(err as Error)?.message ?? String(err)}`),
  });
  const dbDir = options.databaseUrl ? undefined : `${dataDir}/db`;
  const footprint = () => measureFootprint(store, dbDir);
  router.on("GET", "/health", async ({ res }) => {
    sendJson(res, 200, {
      status: "ok",
      workspace_id: creds.workspaceId,
      storage: store.description,
      search_index: store.search.indexed,
      search_index_pending: store.search.pending,
      footprint: await footprint(),
      retention: {
        policy: describeRetention(policy),
        max_age_ms: policy.maxAgeMs ?? null,
        max_spans: policy.maxSpans ?? null,
        last_trim: retention.last ?? null,
      },
    });
  });

  const inflight = new Set<Promise<void>>();
  let closing: Promise<void> | undefined;
  const server = createServer((req, res) => {
    if (closing) {
      // a request on a kept-alive connection during shutdown: exporters retry 503
      res.setHeader("connection", "close");
      return sendError(res, new HttpError(503, "shutting_down", "The dev server is shutting down; retry later."));
    }
    const done = dispatch(router, publicPaths, creds.apiKey, req, res).finally(() => inflight.delete(done));
    inflight.add(done);
  });
  server.keepAliveTimeout = 5_000;
  try {
    await new Promise<void>((ok, fail) => {
      server.once("error", fail);
      server.listen(options.port ?? 0, host, () => ok());
    });
  } catch (err) {
    await retention.stop();
    live.close();
    await store.close().catch(() => undefined);
    await lock.release();
    throw err;
  }
  await scheduler.start();
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;

  const close = () =>
    (closing ??= (async () => {
      live.close();
      const stopped = new Promise<void>((ok) => server.close(() => ok()));
      server.closeIdleConnections();
      await Promise.allSettled([...inflight]);
      server.closeAllConnections();
      await stopped;
      await scheduler.stop();
      await retention.stop();
      await store.close();
      await lock.release();
    })());

  return {
    url: `http://${urlHost}:${port}`,
    workspaceId: creds.workspaceId,
    apiKey: creds.apiKey,
    storage: store.description,
    retention: describeRetention(policy),
    footprint,
    close,
  };
}

async function dispatch(
  router: Router,
  publicPaths: Set<string>,
  apiKey: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    const url = new URL(req.url ?? "/", "http://localhost");
    const match = router.match(req.method ?? "GET", url.pathname);
    if (match.kind === "none") throw new HttpError(404, "not_found", `No route for ${req.method} ${url.pathname}.`);
    if (match.kind === "method") {
      res.setHeader("allow", match.allow.join(", "));
      throw new HttpError(405, "method_not_allowed", `${req.method} is not allowed on ${url.pathname}; use ${match.allow.join(" or ")}.`);
    }
    if (!publicPaths.has(url.pathname)) requireBearer(req, apiKey);
    await match.handler({ req, res, params: match.params, query: url.searchParams });
  } catch (err) {
    const httpErr =
      err instanceof HttpError ? err : err instanceof ShapeError ? new HttpError(400, "invalid_parameter", err.message) : undefined;
    if (!httpErr) log.error(`dev server: ${req.method} ${req.url} failed: ${(err as Error)?.stack ?? String(err)}`);
    if (res.headersSent) return void res.destroy();
    // the rest of an unread body would otherwise be parsed as the next request
    if (!req.complete) res.setHeader("connection", "close");
    sendError(res, httpErr ?? new HttpError(500, "internal_error", "The dev server failed to handle this request; see its output."));
  }
}
