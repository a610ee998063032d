import { describe, expect, it } from "vitest";
import { decodeTraceRequest } from "../../src/dev/otlp.js";
import { decodeAnyValue, decodeId, decodeNanos, ShapeError } from "../../src/dev/otlp-values.js";
import { otlpBody, otlpSpan } from "./helpers.js";

describe("OTLP JSON values", () => {
  it("decodes every AnyValue variant", () => {
    expect(decodeAnyValue({ stringValue: "s" }, "v")).toBe("s");
    expect(decodeAnyValue({ intValue: "17" }, "v")).toBe(17);
    expect(decodeAnyValue({ intValue: 17 }, "v")).toBe(17);
    expect(decodeAnyValue({ intValue: "9223372036854775807" }, "v")).toBe("9223372036854775807");
    expect(decodeAnyValue({ doubleValue: 0.5 }, "v")).toBe(0.5);
    expect(decodeAnyValue({ doubleValue: "NaN" }, "v")).toBe("NaN");
    expect(decodeAnyValue({ boolValue: false }, "v")).toBe(false);
    expect(decodeAnyValue({ arrayValue: { values: [{ stringValue: "a" }, { intValue: "2" }] } }, "v")).toEqual(["a", 2]);
    expect(decodeAnyValue({ arrayValue: {} }, "v")).toEqual([]);
    expect(
      decodeAnyValue(
        { kvlistValue: { values: [{ key: "k", value: { kvlistValue: { values: [{ key: "n", value: { boolValue: true } }] } } }] } },
        "v",
      ),
    ).toEqual({ k: { n: true } });
    expect(decodeAnyValue({}, "v")).toBeNull();
  });

  it("names the path of a malformed value", () => {
    expect(() => decodeAnyValue({ intValue: "1.5" }, "attributes[3].value")).toThrow("attributes[3].value.intValue is not an integer");
    expect(() => decodeAnyValue({ boolValue: "yes" }, "x")).toThrow(ShapeError);
    expect(() => decodeAnyValue("plain", "x")).toThrow("x is not an AnyValue object");
  });

  it("accepts hex ids and base64 ids, rejecting other lengths and all-zero ids", () => {
    expect(decodeId("0AF7651916CD43DD8448EB211C80319C", 16, "traceId")).toBe("0af7651916cd43dd8448eb211c80319c");
    const b64 = Buffer.from("b7ad6b7169203331", "hex").toString("base64");
    expect(decodeId(b64, 8, "spanId")).toBe("b7ad6b7169203331");
    expect(() => decodeId("abc", 8, "spanId")).toThrow("spanId is not a 8-byte id");
    expect(() => decodeId("0000000000000000", 8, "spanId")).toThrow("all zeros");
    expect(() => decodeId(undefined, 16, "traceId")).toThrow("traceId is missing");
  });

  it("keeps nanosecond timestamps exact", () => {
    expect(decodeNanos("1700000000123456789", "t")).toBe("1700000000123456789");
    expect(() => decodeNanos("-5", "t")).toThrow("t is not a unix time in nanoseconds");
    expect(() => decodeNanos("99999999999999999999", "t")).toThrow(ShapeError);
  });
});

describe("decodeTraceRequest", () => {
  it("lifts the dashboard columns out of the attributes and keeps the rest", () => {
    const body = otlpBody([
      otlpSpan({
        trace: 1,
        span: 1,
        name: "answer",
        attrs: {
          "gen_ai.user.id": "user_42",
          "gen_ai.conversation.id": "chat_99",
          "gen_ai.request.model": "gpt-4o",
          "gen_ai.system": "openai",
          "input.value": "question",
          "output.value": "answer",
          "openinference.span.kind": "tool",
          "langfuse.tags": ["a", "b"],
          "gen_ai.usage.input_tokens": 12,
          "gen_ai.usage.output_tokens": 30,
          experiment_id: 17,
        },
      }),
    ]);
    const { spans, rejected } = decodeTraceRequest(body);
    expect(rejected).toEqual([]);
    expect(spans[0]).toMatchObject({
      name: "answer",
      user_id: "user_42",
      session_id: "chat_99",
      model: "gpt-4o",
      provider: "openai",
      input: "question",
      output: "answer",
      span_kind: "tool",
      tags: ["a", "b"],
      input_tokens: 12,
      output_tokens: 30,
      attributes: { experiment_id: 17 },
      resource: { "service.name": "dev-test" },
      scope: { name: "test", version: "1.0.0" },
    });
  });

  it("rejects a malformed span but keeps its siblings", () => {
    const bad = { ...otlpSpan({ trace: 1, span: 2 }), spanId: "xyz" };
    const { spans, rejected } = decodeTraceRequest(otlpBody([otlpSpan({ trace: 1, span: 1 }), bad]));
    expect(spans).toHaveLength(1);
    expect(rejected).toEqual(["resourceSpans[0].scopeSpans[0].spans[1].spanId is not a 8-byte id (16 hex characters)"]);
  });

  it("throws a ShapeError naming the structural problem", () => {
    expect(() => decodeTraceRequest([])).toThrow("the body is not a JSON object");
    expect(() => decodeTraceRequest({ resourceSpans: {} })).toThrow("resourceSpans is not an array");
    expect(() => decodeTraceRequest({ resourceSpans: [{ scopeSpans: [{ spans: 3 }] }] })).toThrow(
      "resourceSpans[0].scopeSpans[0].spans is not an array",
    );
  });

  it("accepts an empty request", () => {
    expect(decodeTraceRequest({})).toEqual({ spans: [], rejected: [] });
  });
});
