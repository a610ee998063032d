import { afterEach, describe, expect, it } from "vitest";
import { BentoApiError, createClient } from "../../src/api/index.js";
import { closedUrl, hang, json, type ScriptedServer, stallBody, startScripted } from "../support/scripted-server.js";

const KEY = "bl_pk_test_retry_0123456789";
let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(...steps: Parameters<typeof startScripted>[0]) {
  server = await startScripted(steps);
  return server;
}

const client = (url: string, extra: Parameters<typeof createClient>[0] = {}) =>
  createClient({ baseUrl: url, apiKey: KEY, workspace: "ws_1", timeoutMs: 2000, ...extra });

async function failure(p: Promise<unknown>): Promise<BentoApiError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(BentoApiError);
  return e as BentoApiError;
}

describe("retries", () => {
  it("retries a GET on 503 and returns the eventual answer", async () => {
    const s = await serve(json(503, { message: "busy" }), json(503, { message: "busy" }), json(200, { items: [] }));
    await expect(client(s.url).credentials.list()).resolves.toEqual({ items: [] });
    expect(s.hits).toHaveLength(3);
  });

  it("waits for the Retry-After seconds of a 429 before retrying", async () => {
    const s = await serve(json(429, { message: "slow down" }, { "retry-after": "1" }), json(200, { schedule_enabled: true }));
    await client(s.url).sync.getWorkspaceSettings();
    expect(s.hits).toHaveLength(2);
    expect(s.hits[1]!.at - s.hits[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it("honours a Retry-After HTTP date", async () => {
    const when = new Date(Date.now() + 1500).toUTCString(); // whole seconds: waits 0.5-1.5 s
    const s = await serve(json(429, {}, { "retry-after": when }), json(200, { status: "ok" }));
    await client(s.url).sync.status("cred_1");
    expect(s.hits[1]!.at - s.hits[0]!.at).toBeGreaterThanOrEqual(400);
  });

  it("caps a long Retry-After at maxRetryDelayMs", async () => {
    const s = await serve(json(429, {}, { "retry-after": "3600" }), json(200, { items: [] }));
    const started = performance.now();
    await client(s.url, { maxRetryDelayMs: 50 }).sync.listWorkspaceReports();
    expect(performance.now() - started).toBeLessThan(1500);
    expect(s.hits).toHaveLength(2);
  });

  it("gives up after the configured retries with the last status and message", async () => {
    const s = await serve(json(503, { message: "maintenance" }));
    const e = await failure(client(s.url, { retries: 2, maxRetryDelayMs: 20 }).credentials.get("cred_1"));
    expect(s.hits).toHaveLength(3);
    expect(e).toMatchObject({
      code: "http_error",
      status: 503,
      serverMessage: "maintenance",
      method: "GET",
      path: "/credentials/cred_1",
      attempts: 3,
    });
  });

  it("never retries a POST, even on 503", async () => {
    const s = await serve(json(503, { message: "busy" }), json(201, {}));
    const body = {
      source_type: "langfuse" as const,
      config: { public_key: "pk", secret_key: "sk-lf-0000000000", base_url: "https://cloud.langfuse.com" },
    };
    const e = await failure(client(s.url).credentials.create(body));
    expect(e.status).toBe(503);
    expect(s.hits).toHaveLength(1);
  });

  it("does not retry a 4xx other than 429", async () => {
    const s = await serve(json(404, { detail: "no such credential" }), json(200, {}));
    const e = await failure(client(s.url).credentials.get("nope"));
    expect(e).toMatchObject({ status: 404, serverMessage: "no such credential", attempts: 1 });
    expect(s.hits).toHaveLength(1);
  });

  it("retries a GET after a network error", async () => {
    const s = await serve(
      (req, res) => {
        req.socket.destroy();
        void res;
      },
      json(200, { items: [] }),
    );
    await expect(client(s.url, { maxRetryDelayMs: 20 }).credentials.list()).resolves.toEqual({ items: [] });
    expect(s.hits).toHaveLength(2);
  });

  it("reports an unreachable server as network_error", async () => {
    const e = await failure(client(await closedUrl(), { retries: 1, maxRetryDelayMs: 10 }).credentials.list());
    expect(e).toMatchObject({ code: "network_error", attempts: 2, status: undefined });
    expect(e.message).toContain("ECONNREFUSED");
  });
});

describe("timeouts", () => {
  it("aborts a request the server never answers", async () => {
    const s = await serve(hang);
    const started = performance.now();
    const e = await failure(client(s.url, { timeoutMs: 150, retries: 0 }).sync.getDoctor());
    const elapsed = performance.now() - started;
    expect(e).toMatchObject({ code: "timeout", method: "GET", path: "/workspaces/ws_1/sync-doctor", attempts: 1 });
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(1500);
  });

  it("retries a timed-out GET, each attempt with its own timeout", async () => {
    const s = await serve(hang, json(200, { healthy: true, credentials: [] }));
    await expect(client(s.url, { timeoutMs: 150, retries: 1, maxRetryDelayMs: 10 }).sync.getDoctor()).resolves.toMatchObject({
      healthy: true,
    });
    expect(s.hits).toHaveLength(2);
  });

  it("covers a body that stops arriving", async () => {
    const s = await serve(stallBody);
    const e = await failure(client(s.url, { timeoutMs: 150, retries: 0 }).credentials.list());
    expect(e.code).toBe("timeout");
  });

  it("times out a POST without retrying it", async () => {
    const s = await serve(hang);
    const e = await failure(client(s.url, { timeoutMs: 100, retries: 3 }).credentials.runHealthCheck("cred_1"));
    expect(e).toMatchObject({ code: "timeout", method: "POST", attempts: 1 });
    expect(s.hits).toHaveLength(1);
  });
});

describe("odd answers", () => {
  it("rejects a 2xx page that is not JSON without retrying", async () => {
    const s = await serve((_req, res) => void res.writeHead(200, { "content-type": "text/html" }).end("<html>login</html>"));
    const e = await failure(client(s.url).credentials.list());
    expect(e).toMatchObject({ code: "invalid_response", status: 200, attempts: 1 });
    expect(e.message).toContain("without JSON");
  });

  it("keeps the key out of errors even when the server echoes it", async () => {
    const s = await serve(
      (req, res) =>
        void res
          .writeHead(400, { "content-type": "application/json" })
          .end(JSON.stringify({ message: `bad header ${req.headers.authorization}` })),
    );
    const e = await failure(client(s.url).credentials.get("cred_1"));
    expect(e.serverMessage).toContain("bad header Bearer");
    expect(`${e.message} ${JSON.stringify(e.body)}`).not.toContain(KEY);
  });

  it("passes text through request() when asked for any body", async () => {
    const s = await serve((_req, res) => void res.writeHead(200, { "content-type": "text/plain" }).end("pong"));
    await expect(client(s.url).request({ method: "GET", path: "/ping", expect: "any" })).resolves.toEqual({ status: 200, body: "pong" });
  });
});
