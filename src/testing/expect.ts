import { AssertionError } from "node:assert";
import { isDeepStrictEqual } from "node:util";
import type { Capture } from "./capture.js";
import { findOne } from "./find.js";
import type { CapturedSpan } from "./record.js";

type Source = Capture | readonly CapturedSpan[];

function list(source: Source): readonly CapturedSpan[] {
  return Array.isArray(source) ? source : (source as Capture).spans;
}

const show = (v: unknown) => (v === undefined ? "(absent)" : JSON.stringify(v));

/**
 * Readable assertions on one captured span. Each throws an AssertionError with a line diff.
 *
 * @example
 * expectSpan(spans, "flaky_tool").toHaveStatus("error").toHaveEvent("exception");
 */
export class SpanAssertion {
  constructor(
    readonly span: CapturedSpan,
    private readonly spans: readonly CapturedSpan[],
  ) {}

  /** Every given key is present with an equal value (other keys may exist). */
  toHaveAttributes(expected: Record<string, unknown>): this {
    const wrong = Object.keys(expected).filter((k) => !isDeepStrictEqual(this.span.attributes[k], expected[k]));
    if (wrong.length) this.fail("attributes differ", wrong, expected, "toHaveAttributes");
    return this;
  }

  /** The attributes are exactly `expected`: no key missing, none extra. */
  toHaveExactAttributes(expected: Record<string, unknown>): this {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(this.span.attributes)])].sort();
    const wrong = keys.filter((k) => !isDeepStrictEqual(this.span.attributes[k], expected[k]));
    if (wrong.length) this.fail("attributes are not exactly as expected", wrong, expected, "toHaveExactAttributes");
    return this;
  }

  /** None of these keys is set. */
  toNotHaveAttributes(...keys: string[]): this {
    const present = keys.filter((k) => k in this.span.attributes);
    if (present.length) this.fail("has attributes it should not", present, {}, "toNotHaveAttributes");
    return this;
  }

  /** The span's parent is `parent` (a span, or the one span with that name). */
  toBeChildOf(parent: CapturedSpan | string): this {
    const p = typeof parent === "string" ? findOne(this.spans, parent) : parent;
    if (this.span.parentSpanId !== p.spanId || this.span.traceId !== p.traceId) {
      const actual = this.spans.find((s) => s.spanId === this.span.parentSpanId);
      const got = actual
        ? `"${actual.name}"`
        : this.span.parentSpanId
          ? `an uncaptured span ${this.span.parentSpanId}`
          : "no parent (a root)";
      this.throw(`is not a child of "${p.name}": its parent is ${got}`, got, p.name, "toBeChildOf");
    }
    return this;
  }

  /** The span has no parent (a trajectory or a standalone span). */
  toBeRoot(): this {
    if (this.span.parentSpanId !== undefined) {
      const parent = this.spans.find((s) => s.spanId === this.span.parentSpanId);
      this.throw(
        `is not a root: its parent is ${parent ? `"${parent.name}"` : this.span.parentSpanId}`,
        this.span.parentSpanId,
        undefined,
        "toBeRoot",
      );
    }
    return this;
  }

  /** Status code (and message, when given). */
  toHaveStatus(code: CapturedSpan["status"]["code"], message?: string): this {
    const want = message === undefined ? { code } : { code, message };
    const got = message === undefined ? { code: this.span.status.code } : this.span.status;
    if (!isDeepStrictEqual(got, want))
      this.throw(`has status ${show(this.span.status)}, expected ${show(want)}`, got, want, "toHaveStatus");
    return this;
  }

  /** An event with this name was recorded (e.g. "exception"). */
  toHaveEvent(name: string): this {
    if (!this.span.events.some((e) => e.name === name)) {
      const names = this.span.events.map((e) => e.name);
      this.throw(`has no event "${name}" (events: ${names.length ? names.join(", ") : "none"})`, names, [name], "toHaveEvent");
    }
    return this;
  }

  private fail(what: string, keys: string[], expected: Record<string, unknown>, operator: string): never {
    const lines = keys.map((k) => `  - expected ${k}: ${show(expected[k])}\n  + actual   ${k}: ${show(this.span.attributes[k])}`);
    const pick = (o: Record<string, unknown>) => Object.fromEntries(keys.map((k) => [k, o[k]]));
    this.throw(`${what}:\n${lines.join("\n")}`, pick(this.span.attributes), pick(expected), operator);
  }

  private throw(message: string, actual: unknown, expected: unknown, operator: string): never {
    throw new AssertionError({ message: `span "${this.span.name}" ${message}`, actual, expected, operator });
  }
}

/**
 * Start readable assertions on the one span named `name` (or on a span record).
 *
 * @example
 * expectSpan(spans, "answer").toBeChildOf("support_agent").toHaveAttributes({ "gen_ai.system": "openai" });
 */
export function expectSpan(source: Source, span: string | CapturedSpan): SpanAssertion {
  const spans = list(source);
  return new SpanAssertion(typeof span === "string" ? findOne(spans, span) : span, spans);
}
