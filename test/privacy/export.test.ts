import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as bento from "../../src/index.js";
import { Receiver, TEST_KEY } from "../helpers/receiver.js";

const receiver = new Receiver();
beforeAll(() => receiver.start());
afterAll(() => receiver.stop());
afterEach(async () => {
  await bento.shutdown();
  receiver.reset();
  delete process.env.BENTOLABS_ENVIRONMENT;
  delete process.env.BENTOLABS_RELEASE;
});

const PII = "mail jane@acme.com, card 4111 1111 1111 1111, key sk-proj-abcdefghijklmnopqrstuvwxyz123";
const CLEAN = "mail [REDACTED:email], card [REDACTED:card], key [REDACTED:secret]";
const rawBodies = () => JSON.stringify(receiver.requests.map((r) => r.body));

describe("redaction at export", () => {
  it("covers the SDK's own spans: input, output, properties and string arrays", async () => {
    bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url, redaction: { detectors: "all" } });
    bento.trackAi({ event: "answer", input: PII, output: { text: PII }, properties: { notes: [PII, "fine"] } });
    expect((await bento.flush()).ok).toBe(true);
    const s = receiver.span("answer");
    expect(s.attributes["input.value"]).toBe(CLEAN);
    expect(s.attributes["output.value"]).toBe(JSON.stringify({ text: CLEAN }));
    expect(s.attributes.notes).toEqual([CLEAN, "fine"]);
    expect(rawBodies()).not.toMatch(/jane@acme\.com|4111 1111|sk-proj-/);
  });

  it("covers instrumentation spans and their events (exceptions included)", async () => {
    bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url, redaction: { detectors: ["email", "secret"] } });
    const tracer = bento.getTracerProvider().getTracer("@arizeai/openinference-instrumentation-openai");
    await bento.begin({ event: "run" }, async () => {
      const span = tracer.startSpan("ChatCompletion", { attributes: { "llm.input_messages.0.message.content": PII } });
      span.addEvent("gen_ai.user.message", { content: PII });
      span.recordException(new Error("upstream rejected jane@acme.com"));
      span.end();
    });
    await bento.flush();
    const s = receiver.span("ChatCompletion");
    expect(s.attributes["llm.input_messages.0.message.content"]).toBe("mail [REDACTED:email], card 4111 1111 1111 1111, key [REDACTED:secret]");
    expect(s.events.find((e) => e.name === "gen_ai.user.message")!.attributes.content).toMatch(/^mail \[REDACTED:email\]/);
    expect(s.events.find((e) => e.name === "exception")!.attributes["exception.message"]).toBe("upstream rejected [REDACTED:email]");
  });

  it("covers foreign spans through BentoSpanProcessor without changing what the app's other exporters see", async () => {
    const memory = new InMemorySpanExporter();
    const processor = new bento.BentoSpanProcessor({ apiKey: TEST_KEY, baseUrl: receiver.url, redaction: { detectors: "all" } });
    const provider = new BasicTracerProvider({ spanProcessors: [processor, new SimpleSpanProcessor(memory)] });
    const span = provider.getTracer("app").startSpan("http GET /users", { attributes: { "http.url": "/users?email=jane@acme.com" } });
    span.addEvent("log", { line: PII });
    span.end();
    expect((await processor.flush()).ok).toBe(true);
    const s = receiver.span("http GET /users");
    expect(s.attributes["http.url"]).toBe("/users?email=[REDACTED:email]");
    expect(s.events[0]!.attributes.line).toBe(CLEAN);
    const local = memory.getFinishedSpans()[0]!;
    expect(local.attributes["http.url"]).toBe("/users?email=jane@acme.com");
    expect(local.events[0]!.attributes!.line).toBe(PII);
    await provider.shutdown();
  });

  it("covers spans sent through BentoTraceExporter", async () => {
    const exporter = new bento.BentoTraceExporter({ apiKey: TEST_KEY, baseUrl: receiver.url, redact: (v, { key }) => (key === "user.email" ? undefined : v), redaction: { detectors: ["phone"] } });
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    provider.getTracer("app").startSpan("signup", { attributes: { "user.email": "jane@acme.com", "user.phone": "+1 415 555 2671" } }).end();
    await provider.forceFlush();
    await exporter.forceFlush();
    expect(receiver.span("signup").attributes).toEqual({ "user.phone": "[REDACTED:phone]" });
    await provider.shutdown();
  });

  it("fails closed end to end: a throwing hook sends a marker, never the raw value", async () => {
    bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url, redact: () => { throw new Error("bug in my hook"); } });
    bento.trackAi({ event: "answer", input: "the raw prompt" });
    await bento.flush();
    expect(receiver.span("answer").attributes["input.value"]).toBe("[REDACTED:hook_error]");
    expect(rawBodies()).not.toContain("the raw prompt");
  });

  it("runs off the caller's path: the hook is first called by the export worker", async () => {
    let calls = 0;
    bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url, redact: (v) => (calls++, v) });
    bento.trackAi({ event: "answer", input: "hi" });
    expect(calls).toBe(0);
    await bento.flush();
    expect(calls).toBeGreaterThan(0);
  });

  it("captureContent: false sends names, models and token counts only", async () => {
    bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url, captureContent: false });
    bento.trackAi({ event: "answer", model: "gpt-4o", provider: "openai", input: "q", output: "a", usage: { inputTokens: 5, outputTokens: 2 } });
    await bento.flush();
    const a = receiver.span("answer").attributes;
    expect(a["input.value"]).toBeUndefined();
    expect(a["output.value"]).toBeUndefined();
    expect(a["gen_ai.request.model"]).toBe("gpt-4o");
    expect(a["gen_ai.usage.input_tokens"]).toBe(5);
    expect(a["gen_ai.usage.output_tokens"]).toBe(2);
  });

  it("a later init() with the same key changes redaction", async () => {
    bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url });
    bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url, redaction: { detectors: ["email"] } });
    bento.trackAi({ event: "answer", input: "jane@acme.com" });
    await bento.flush();
    expect(receiver.span("answer").attributes["input.value"]).toBe("[REDACTED:email]");
  });
});

describe("configuration from the environment alone (lazy init)", () => {
  it("reads BENTOLABS_REDACT, BENTOLABS_CAPTURE_CONTENT and BENTOLABS_SAMPLE_RATE", async () => {
    const vars = { BENTOLABS_API_KEY: TEST_KEY, BENTOLABS_BASE_URL: receiver.url, BENTOLABS_REDACT: "email", BENTOLABS_CAPTURE_CONTENT: "false", BENTOLABS_SAMPLE_RATE: "0" };
    Object.assign(process.env, vars);
    try {
      bento.trackAi({ event: "sampled-out", input: "x" });
      await bento.begin({ event: "failed", properties: { contact: "jane@acme.com" } }, async () => { throw new Error("boom"); }).catch(() => {});
      expect((await bento.flush()).ok).toBe(true);
      expect(receiver.spans.map((s) => s.name)).toEqual(["failed"]);
      expect(receiver.span("failed").attributes.contact).toBe("[REDACTED:email]");
      expect(bento.stats().sampled_out).toBe(1);
    } finally {
      for (const k of Object.keys(vars)) delete process.env[k];
    }
  });
});

describe("environment and release", () => {
  it("become deployment.environment.name and service.version on the resource", async () => {
    bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url, environment: "staging", release: "1.4.2" });
    bento.trackAi({ event: "answer" });
    await bento.flush();
    expect(receiver.span("answer").resource).toMatchObject({ "deployment.environment.name": "staging", "service.version": "1.4.2" });
  });

  it("are read from BENTOLABS_ENVIRONMENT / BENTOLABS_RELEASE, options first", async () => {
    process.env.BENTOLABS_ENVIRONMENT = "production";
    process.env.BENTOLABS_RELEASE = "abc123";
    bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url, release: "2.0.0" });
    bento.trackAi({ event: "answer" });
    await bento.flush();
    expect(receiver.span("answer").resource).toMatchObject({ "deployment.environment.name": "production", "service.version": "2.0.0" });
  });

  it("are omitted when unset, and a non-string option is a clear error", async () => {
    bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url });
    bento.trackAi({ event: "answer" });
    await bento.flush();
    expect(receiver.span("answer").resource).not.toHaveProperty("deployment.environment.name");
    expect(receiver.span("answer").resource).not.toHaveProperty("service.version");
    await bento.shutdown();
    expect(() => bento.init({ apiKey: TEST_KEY, baseUrl: receiver.url, environment: 42 as never })).toThrow(/environment must be a string/);
  });
});
