import { SpanStatusCode } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { BentoConfigError } from "../../src/errors.js";
import { createRedactor, HOOK_ERROR_MARKER } from "../../src/privacy/redact.js";
import { resolvePrivacy } from "../../src/privacy/resolve.js";
import type { PrivacyOptions } from "../../src/privacy/options.js";

const HASH_KEY = "test-hash-key-0123456789";

/** A real ended SDK span with the given attributes and an event. */
function span(attributes: Record<string, unknown>, event?: { name: string; attributes: Record<string, unknown> }): ReadableSpan {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
  const s = provider.getTracer("t").startSpan("op", { attributes: attributes as never });
  if (event) s.addEvent(event.name, event.attributes as never);
  s.end();
  return memory.getFinishedSpans()[0]!;
}

const redactor = (o: PrivacyOptions, env: NodeJS.ProcessEnv = {}) => createRedactor(resolvePrivacy(o, env))!;

describe("redaction of one span", () => {
  it("costs nothing when no option is on", () => {
    expect(createRedactor(resolvePrivacy({}, {}))).toBeUndefined();
  });

  it("replaces matches with a marker naming the detector, in every string attribute and array element", () => {
    const r = redactor({ redaction: { detectors: "all" } });
    const out = r(span({ "input.value": "mail jane@acme.com or call +1 415 555 2671", tags: ["ok", "card 4111 1111 1111 1111"], n: 3, ok: true }))!;
    expect(out.attributes["input.value"]).toBe("mail [REDACTED:email] or call [REDACTED:phone]");
    expect(out.attributes.tags).toEqual(["ok", "card [REDACTED:card]"]);
    expect(out.attributes.n).toBe(3);
    expect(out.attributes.ok).toBe(true);
  });

  it("redacts event attributes, the status message and keeps the original span untouched", () => {
    const original = span({ "output.value": "token sk-proj-abcdefghijklmnopqrstuvwxyz123" }, { name: "exception", attributes: { "exception.message": "no user jane@acme.com" } });
    (original as { status: unknown }).status = { code: SpanStatusCode.ERROR, message: "failed for jane@acme.com" };
    const out = redactor({ redaction: { detectors: ["email", "secret"] } })(original)!;
    expect(out.attributes["output.value"]).toBe("token [REDACTED:secret]");
    expect(out.events[0]!.attributes!["exception.message"]).toBe("no user [REDACTED:email]");
    expect(out.status.message).toBe("failed for [REDACTED:email]");
    expect(original.attributes["output.value"]).toBe("token sk-proj-abcdefghijklmnopqrstuvwxyz123");
    expect(original.events[0]!.attributes!["exception.message"]).toBe("no user jane@acme.com");
    expect(out.spanContext().spanId).toBe(original.spanContext().spanId);
  });

  it("hash mode gives a stable keyed pseudonym that differs by key", () => {
    const a = redactor({ redaction: { detectors: ["email"], mode: "hash", hashKey: HASH_KEY } });
    const b = redactor({ redaction: { detectors: ["email"], mode: "hash", hashKey: HASH_KEY + "x" } });
    const x = a(span({ "gen_ai.user.id": "jane@acme.com" }))!.attributes["gen_ai.user.id"];
    expect(x).toMatch(/^\[REDACTED:email:hmac_[a-p]{16}\]$/);
    expect(a(span({ "gen_ai.user.id": "jane@acme.com" }))!.attributes["gen_ai.user.id"]).toBe(x);
    expect(b(span({ "gen_ai.user.id": "jane@acme.com" }))!.attributes["gen_ai.user.id"]).not.toBe(x);
  });

  it("drop mode removes the whole key", () => {
    const out = redactor({ redaction: { detectors: ["email"], mode: "drop" } })(span({ "input.value": "jane@acme.com", other: "fine", list: ["a", "b@c.de"] }))!;
    expect(out.attributes).toEqual({ other: "fine" });
  });

  it("runs the hook on every string with its key and a hash helper; undefined drops the key", () => {
    const seen: string[] = [];
    const r = redactor({
      redaction: { hashKey: HASH_KEY },
      redact: (value, { key, event, hash }) => {
        seen.push(`${event ?? "span"}:${key}`);
        if (key === "gen_ai.user.id") return hash(value);
        if (key === "internal.note") return undefined;
        return value.toUpperCase();
      },
    });
    const out = r(span({ "gen_ai.user.id": "user_42", "internal.note": "x", "input.value": "hi", n: 1 }, { name: "log", attributes: { msg: "m" } }))!;
    expect(out.attributes["gen_ai.user.id"]).toMatch(/^hmac_[a-p]{16}$/);
    expect(out.attributes["input.value"]).toBe("HI");
    expect("internal.note" in out.attributes).toBe(false);
    expect(out.events[0]!.attributes).toEqual({ msg: "M" });
    expect(seen.sort()).toEqual(["log:msg", "span:gen_ai.user.id", "span:input.value", "span:internal.note"]);
  });

  it("fails closed: a throwing hook replaces that value with a marker, the raw value never passes", () => {
    const r = redactor({
      redaction: { detectors: ["email"] },
      redact: (value, { key }) => {
        if (key === "input.value") throw new Error(`cannot handle ${value}`);
        return value;
      },
    });
    const out = r(span({ "input.value": "secret plan for jane@acme.com", "output.value": "mail bob@acme.com" }))!;
    expect(out.attributes["input.value"]).toBe(HOOK_ERROR_MARKER);
    expect(out.attributes["output.value"]).toBe("mail [REDACTED:email]"); // detectors still run after the hook
  });

  it("captureContent: false drops content keys across conventions and keeps metadata", () => {
    const r = redactor({ captureContent: false });
    const attrs = {
      "input.value": "q", "output.value": "a", "input.mime_type": "text/plain",
      "llm.input_messages.0.message.role": "user", "llm.input_messages.0.message.content": "hello",
      "llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments": "{}",
      "llm.output_messages.0.message.tool_calls.0.tool_call.function.name": "search",
      "gen_ai.prompt": "p", "gen_ai.completion": "c", "gen_ai.prompt.0.content": "p0", "gen_ai.prompt.0.role": "user",
      "gen_ai.input.messages": "[]", "ai.prompt.messages": "[]", "ai.response.text": "t", "ai.toolCall.args": "{}",
      "gen_ai.request.model": "gpt-4o", "gen_ai.system": "openai", "gen_ai.usage.input_tokens": 12, "gen_ai.usage.output_tokens": 3,
      "llm.token_count.prompt": 12, "tool.name": "search", "gen_ai.user.id": "u1",
    };
    const out = r(span(attrs, { name: "gen_ai.user.message", attributes: { content: "hi", "gen_ai.system": "openai" } }))!;
    expect(out.attributes).toEqual({
      "input.mime_type": "text/plain", "llm.input_messages.0.message.role": "user",
      "llm.output_messages.0.message.tool_calls.0.tool_call.function.name": "search", "gen_ai.prompt.0.role": "user",
      "gen_ai.request.model": "gpt-4o", "gen_ai.system": "openai", "gen_ai.usage.input_tokens": 12, "gen_ai.usage.output_tokens": 3,
      "llm.token_count.prompt": 12, "tool.name": "search", "gen_ai.user.id": "u1",
    });
    expect(out.events[0]!.attributes).toEqual({ "gen_ai.system": "openai" });
    expect(out.name).toBe("op");
  });
});

describe("privacy options", () => {
  it("rejects bad options with a clear error", () => {
    expect(() => resolvePrivacy({ redaction: { detectors: ["emial" as never] } }, {})).toThrow(/Unknown redaction detector "emial"/);
    expect(() => resolvePrivacy({ redaction: { mode: "hash" } }, {})).toThrow(BentoConfigError);
    expect(() => resolvePrivacy({ redaction: { hashKey: "short" } }, {})).toThrow(/at least 16/);
    expect(() => resolvePrivacy({ redact: "no" as never }, {})).toThrow(/redact must be a function/);
  });

  it("reads the environment and fails closed on a bad value", () => {
    expect(resolvePrivacy({}, { BENTOLABS_REDACT: "email, card" }).detectors.map((d) => d.name)).toEqual(["card", "email"]);
    expect(resolvePrivacy({}, { BENTOLABS_REDACT: "email,ssn" }).detectors).toHaveLength(4);
    expect(resolvePrivacy({}, { BENTOLABS_REDACT: "all", BENTOLABS_REDACT_MODE: "hash" }).mode).toBe("replace"); // no key
    expect(resolvePrivacy({}, { BENTOLABS_REDACT_MODE: "hash", BENTOLABS_REDACT_HASH_KEY: HASH_KEY }).mode).toBe("hash");
    expect(resolvePrivacy({}, { BENTOLABS_CAPTURE_CONTENT: "false" }).captureContent).toBe(false);
    expect(resolvePrivacy({ captureContent: true }, { BENTOLABS_CAPTURE_CONTENT: "false" }).captureContent).toBe(true);
  });
});
