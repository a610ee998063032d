import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLangfuseClient } from "../../src/sync/langfuse/client.js";
import { LangfuseError } from "../../src/sync/langfuse/errors.js";
import { type FakeLangfuse, faults } from "./fake-langfuse.js";
import { FIXTURE_KEYS } from "./fixtures.js";
import { recordingSleep, startFake } from "./helpers.js";

const listen = async (handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> => {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
};
const close = (s: Server) =>
  new Promise<void>((r) => {
    s.closeAllConnections();
    s.close(() => r());
  });
const failure = async (p: Promise<unknown>): Promise<LangfuseError> => {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(LangfuseError);
    return err as LangfuseError;
  }
  throw new Error("expected a LangfuseError");
};

describe("Langfuse client", () => {
  let fake: FakeLangfuse;
  beforeEach(async () => void (fake = await startFake()));
  afterEach(() => fake.close());

  it("rejects base URLs that are not plain http(s) origins", () => {
    for (const base_url of [
      "ftp://cloud.langfuse.com",
      "https://pk:sk@cloud.langfuse.com",
      "https://cloud.langfuse.com/?x=1",
      "cloud.langfuse.com",
    ]) {
      expect(() => createLangfuseClient({ ...FIXTURE_KEYS, base_url })).toThrow(LangfuseError);
    }
  });

  it("authenticates with Basic public:secret and returns parsed JSON", async () => {
    const client = createLangfuseClient({ ...FIXTURE_KEYS, base_url: `${fake.url}/` });
    const res = await client.get<{ data: { name: string }[] }>("/api/public/projects");
    expect(res.data[0]!.name).toBe("support-assistant-prod");
    const auth = fake.requests[0]!.authorization!;
    expect(Buffer.from(auth.slice(6), "base64").toString()).toBe(`${FIXTURE_KEYS.public_key}:${FIXTURE_KEYS.secret_key}`);
  });

  it("turns a 401 into an unauthorized error with Langfuse's message and no secret", async () => {
    const client = createLangfuseClient({ ...FIXTURE_KEYS, secret_key: "sk-lf-wrong-secret-value", base_url: fake.url });
    const err = await failure(client.get("/api/public/projects"));
    expect(err.code).toBe("unauthorized");
    expect(err.message).toContain("Invalid credentials");
    expect(`${err.message}${err.stack}`).not.toContain("sk-lf-wrong-secret-value");
  });

  for (const [variant, fault, wait] of [
    ["JSON", faults.rateLimitedJson("37"), 37_000],
    ["text", faults.rateLimitedText("12"), 12_000],
  ] as const) {
    it(`waits for Retry-After on a 429 with a ${variant} body, then succeeds`, async () => {
      const { waits, sleep } = recordingSleep();
      fake.fail("projects", fault);
      const client = createLangfuseClient({ ...FIXTURE_KEYS, base_url: fake.url }, { sleep, maxDelayMs: 60_000 });
      await client.get("/api/public/projects");
      expect(waits).toEqual([wait]);
      expect(fake.count("projects")).toBe(2);
    });
  }

  it("gives up when Retry-After asks for longer than it accepts", async () => {
    const { waits, sleep } = recordingSleep();
    fake.fail("projects", faults.rateLimitedText("600"));
    const err = await failure(createLangfuseClient({ ...FIXTURE_KEYS, base_url: fake.url }, { sleep }).get("/api/public/projects"));
    expect(err.code).toBe("rate_limited");
    expect(err.retryAfterMs).toBe(600_000);
    expect(waits).toEqual([]);
  });

  it("backs off exponentially on 5xx and 524, then succeeds", async () => {
    const { waits, sleep } = recordingSleep();
    fake.fail("projects", faults.serverError());
    fake.fail("projects", faults.edgeTimeout());
    const client = createLangfuseClient({ ...FIXTURE_KEYS, base_url: fake.url }, { sleep, random: () => 0.5 });
    await client.get("/api/public/projects");
    expect(waits).toEqual([1000, 2000]);
  });

  it("reports a server error after the retries run out", async () => {
    const { sleep } = recordingSleep();
    fake.fail("projects", faults.edgeTimeout(), 3);
    const err = await failure(
      createLangfuseClient({ ...FIXTURE_KEYS, base_url: fake.url }, { sleep, retries: 2 }).get("/api/public/projects"),
    );
    expect(err).toMatchObject({ code: "server_error", status: 524, attempts: 3 });
    expect(err.message).toContain("524: A timeout occurred");
  });

  it("never follows a redirect, so the Authorization header stays with the configured host", async () => {
    const seen: (string | undefined)[] = [];
    const other = await listen((req, res) => {
      seen.push(req.headers.authorization);
      res.end("{}");
    });
    const redirector = await listen((_req, res) => {
      res.writeHead(302, { location: `${other.url}/api/public/projects` });
      res.end();
    });
    try {
      const err = await failure(createLangfuseClient({ ...FIXTURE_KEYS, base_url: redirector.url }).get("/api/public/projects"));
      expect(err.code).toBe("redirect");
      expect(err.message).toContain(other.url);
      expect(seen).toEqual([]);
    } finally {
      await close(other.server);
      await close(redirector.server);
    }
  });

  it("caps the response size", async () => {
    const big = await listen((_req, res) => res.end(JSON.stringify({ data: "x".repeat(200_000) })));
    try {
      const err = await failure(
        createLangfuseClient({ ...FIXTURE_KEYS, base_url: big.url }, { maxResponseBytes: 10_000 }).get("/api/public/projects"),
      );
      expect(err.code).toBe("response_too_large");
    } finally {
      await close(big.server);
    }
  });

  it("times out a request that never answers", async () => {
    const silent = await listen(() => undefined);
    try {
      const { sleep } = recordingSleep();
      const err = await failure(
        createLangfuseClient({ ...FIXTURE_KEYS, base_url: silent.url }, { timeoutMs: 100, retries: 1, sleep }).get("/api/public/projects"),
      );
      expect(err).toMatchObject({ code: "timeout", attempts: 2 });
    } finally {
      await close(silent.server);
    }
  });
});
