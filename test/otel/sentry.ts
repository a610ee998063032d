// Coexistence with Sentry's Node SDK (v10), which sets up OpenTelemetry itself: a global
// TracerProvider, its own SentryContextManager, propagator and sampler, and HTTP instrumentation.
// One order per test file, since Sentry.init is process-wide.
import http, { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DiagLogLevel, diag } from "@opentelemetry/api";
import type { TransactionEvent } from "@sentry/core";
import * as Sentry from "@sentry/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as bento from "../../src/index.js";
import { Receiver, TEST_KEY } from "../helpers/receiver.js";

/** A DSN endpoint on 127.0.0.1 that accepts envelopes, so Sentry never reaches the network. */
async function startSentryIngest(): Promise<{ dsn: string; server: Server }> {
  const server = createServer((req, res) => req.resume().on("end", () => res.writeHead(200).end("{}")));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { dsn: `http://public@127.0.0.1:${(server.address() as AddressInfo).port}/1`, server };
}

export function sentrySuite(order: "sentry-first" | "sdk-first"): void {
  const diagErrors: string[] = [];
  const receiver = new Receiver();
  const transactions: TransactionEvent[] = [];
  let ingest: Server;

  beforeAll(async () => {
    diag.setLogger(
      { error: (m) => void diagErrors.push(m), warn: () => {}, info: () => {}, debug: () => {}, verbose: () => {} },
      DiagLogLevel.ERROR,
    );
    await receiver.start();
    const sentryIngest = await startSentryIngest();
    ingest = sentryIngest.server;
    const initSentry = () =>
      Sentry.init({
        dsn: sentryIngest.dsn,
        tracesSampleRate: 1,
        // Bento's test receiver runs in this process; in production it is not the app's server.
        integrations: [Sentry.httpIntegration({ ignoreIncomingRequests: () => true })],
        beforeSendTransaction: (event) => {
          transactions.push(event);
          return event;
        },
      });
    if (order === "sentry-first") {
      initSentry();
      bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url });
      bento.instrument();
    } else {
      // The SDK imported and wired at the top of the entry file, used once, then Sentry.
      bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url });
      bento.instrument();
      bento.trackAi({ event: "warmup" });
      initSentry();
    }
  });
  afterAll(async () => {
    await bento.shutdown();
    await Sentry.close(2000);
    ingest.close();
    await receiver.stop();
  });

  describe(`coexistence with Sentry (${order})`, () => {
    it("keeps Sentry's spans in Sentry and Bento's in Bento, each nested correctly", async () => {
      const lib = bento.getTracerProvider().getTracer("lib");
      await Sentry.startSpan({ name: "GET /chat", op: "http.server" }, async () => {
        Sentry.startSpan({ name: "db.query", op: "db" }, () => {});
        bento.trackAi({ event: "bare_llm" });
        await bento.begin({ event: "agent_run" }, async () => {
          bento.trackAi({ event: "llm_call" });
          await bento.toolSpan("search", {}, async () => lib.startSpan("lib.call").end());
          await Sentry.startSpan({ name: "app.inside_agent" }, async () => {
            await Promise.resolve();
          });
        });
      });
      await bento.flush();
      await Sentry.flush(2000);

      const tx = transactions.find((t) => t.transaction === "GET /chat");
      expect(tx).toBeDefined();
      expect((tx!.spans ?? []).map((s) => s.description).sort()).toEqual(["app.inside_agent", "db.query"]);

      const names = receiver.spans.map((s) => s.name).filter((n) => n !== "warmup");
      expect(names.sort()).toEqual(["agent_run", "bare_llm", "lib.call", "llm_call", "search"]);
      const sentryTraceId = tx!.contexts?.trace?.trace_id;
      for (const name of ["bare_llm", "agent_run"]) {
        expect(receiver.span(name).parentSpanId, name).toBeUndefined();
        expect(receiver.span(name).traceId, name).not.toBe(sentryTraceId);
      }
      expect(receiver.span("llm_call").parentSpanId).toBe(receiver.span("agent_run").spanId);
      expect(receiver.span("lib.call").parentSpanId).toBe(receiver.span("search").spanId);
    });

    it("does not trace Bento's export requests in Sentry", async () => {
      // Sentry's outgoing-HTTP tracing is live: the app's own request is recorded...
      await Sentry.startSpan(
        { name: "app.fetch" },
        () => new Promise<void>((resolve) => http.get(`${receiver.url}/probe`, (res) => res.resume().on("end", resolve))),
      );
      // A handler that flushes before returning (serverless): the export runs inside its span.
      await Sentry.startSpan({ name: "POST /lambda", op: "http.server" }, async () => {
        bento.trackAi({ event: "after" });
        await bento.flush();
      });
      await Sentry.flush(2000);
      expect(transactions.map((t) => t.transaction)).toContain("POST /lambda");
      const spans = transactions.flatMap((t) => t.spans ?? []);
      const toReceiver = spans.filter((s) =>
        String(s.data?.url ?? s.data?.["http.url"] ?? s.description ?? "").includes(new URL(receiver.url).host),
      );
      // ...and Bento's exports are not.
      expect(toReceiver.map((s) => s.description)).toEqual([`GET ${receiver.url}/probe`]);
      expect(transactions.filter((t) => String(t.transaction ?? "").includes("/v1/traces"))).toEqual([]);
      // Nor do they carry the app's trace context to Bento.
      const exports = receiver.requests.filter((r) => r.url === "/v1/traces");
      expect(exports.length).toBeGreaterThan(0);
      for (const r of exports)
        expect(Object.keys(r.headers).filter((h) => ["sentry-trace", "baggage", "traceparent"].includes(h))).toEqual([]);
    });

    it("leaves Sentry's context manager in place: no duplicate registration", () => {
      expect(diagErrors).toEqual([]);
    });
  });
}
