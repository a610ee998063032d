import { describe, expect, it } from "vitest";
import { safeStringify } from "../src/attributes/serialize.js";
import { truncate } from "../src/attributes/values.js";
import * as bento from "../src/index.js";
import { useReceiver } from "./helpers/setup.js";

function hostile(): Record<string, unknown> {
  const cyclic: Record<string, unknown> = { name: "loop" };
  cyclic.self = cyclic;
  const err = new Error("outer", { cause: new TypeError("inner") });
  const throwingGetter = Object.defineProperty({ fine: 1 }, "bad", {
    enumerable: true,
    get() {
      throw new Error("getter!");
    },
  });
  const badToJSON = {
    toJSON() {
      throw new Error("toJSON!");
    },
  };
  const proxy = new Proxy(
    {},
    {
      ownKeys() {
        throw new Error("proxy!");
      },
    },
  );
  return {
    cyclic,
    big: 10n ** 30n,
    map: new Map<unknown, unknown>([["k", 1]]),
    set: new Set([1, 2]),
    err,
    buf: Buffer.from("hello"),
    typed: new Float32Array(4),
    date: new Date(0),
    bad_date: new Date("x"),
    sym: Symbol("s"),
    fn: function named() {},
    throwingGetter,
    badToJSON,
    proxy,
    nan: NaN,
    inf: -Infinity,
  };
}

describe("serialization never throws", () => {
  it("renders every hostile value readably", () => {
    const out = JSON.parse(safeStringify(hostile()));
    expect(out.cyclic).toEqual({ name: "loop", self: "[Circular]" });
    expect(out.big).toBe("1000000000000000000000000000000");
    expect(out.map).toEqual({ k: 1 });
    expect(out.set).toEqual([1, 2]);
    expect(out.err).toMatchObject({ name: "Error", message: "outer", cause: { name: "TypeError", message: "inner" } });
    expect(out.err.stack).toContain("outer");
    expect(out.buf).toBe("[Buffer 5 bytes]");
    expect(out.typed).toBe("[Float32Array 16 bytes]");
    expect(out.date).toBe("1970-01-01T00:00:00.000Z");
    expect(out.bad_date).toBe("Invalid Date");
    expect(out.sym).toBe("Symbol(s)");
    expect(out.fn).toBe("[Function named]");
    expect(out.throwingGetter).toEqual({ fine: 1, bad: "[Getter threw: Error: getter!]" });
    expect(out.badToJSON).toBe("[toJSON threw: Error: toJSON!]");
    expect(out.proxy).toMatch(/^\[Unserializable: Error: proxy!\]$/);
    expect(out.nan).toBe("NaN");
    expect(out.inf).toBe("-Infinity");
  });

  it("bounds depth and items per level", () => {
    let deep: Record<string, unknown> = {};
    const top = deep;
    for (let i = 0; i < 50; i++) deep = (deep.next = {}) as Record<string, unknown>;
    expect(safeStringify(top)).toContain("[Truncated: max depth]");
    const wide = JSON.parse(safeStringify(Array.from({ length: 1500 }, (_, i) => i)));
    expect(wide).toHaveLength(1001);
    expect(wide[1000]).toBe("[… 500 more items]");
  });

  it("truncates at a code-point boundary with a marker", () => {
    const s = `${"a".repeat(9)}😀${"b".repeat(100)}`;
    const t = truncate(s, 10 + "…[truncated by bentolabs]".length);
    expect(t.value.startsWith("a".repeat(9))).toBe(true);
    expect(t.value).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(t.originalLength).toBe(s.length);
  });
});

describe("hostile input through the public API", () => {
  const { flush } = useReceiver();

  it("records spans for hostile input, output and properties without throwing", async () => {
    const h = hostile();
    let id = "";
    expect(() => {
      id = bento.trackAi({ event: "hostile", input: h, output: h.cyclic, properties: h });
    }).not.toThrow();
    expect(() =>
      bento.begin({ event: "hostile-run", input: h }, (t) => {
        t.update({ properties: h, output: h });
      }),
    ).not.toThrow();
    expect(() =>
      bento.toolSpan("hostile-tool", { input: h, properties: h }, (s) => {
        s.setOutput(h);
        s.setAttribute("x", h.proxy);
      }),
    ).not.toThrow();
    const r = await flush();
    const a = r.byId(id)!.attributes;
    expect(a.big).toBe("1000000000000000000000000000000");
    expect(a.nan).toBe("NaN");
    expect(a.throwingGetter).toBe('{"fine":1,"bad":"[Getter threw: Error: getter!]"}');
    expect(a["output.value"]).toBe('{"name":"loop","self":"[Circular]"}');
    expect(r.spans).toHaveLength(3);
  });

  it("survives a properties bag whose getter throws, and junk options", async () => {
    const props = Object.defineProperty({ ok: 1 }, "boom", {
      enumerable: true,
      get() {
        throw new Error("x");
      },
    });
    expect(() => bento.trackAi({ event: "p", properties: props })).not.toThrow();
    expect(() => bento.trackAi(undefined as never)).not.toThrow();
    expect(() => bento.trackAi({ event: 42 as never, model: {} as never })).not.toThrow();
    expect(() => bento.begin(null as never).finish()).not.toThrow();
    expect(() => bento.toolSpan(undefined as never, 5 as never).end()).not.toThrow();
    const r = await flush();
    expect(r.span("p").attributes).toEqual({ ok: 1 });
  });

  it("caps a 10 MB input without losing the span", async () => {
    bento.trackAi({ event: "huge", input: "x".repeat(10_000_000), properties: { big: "y".repeat(100_000) } });
    const a = (await flush()).span("huge").attributes;
    expect((a["input.value"] as string).length).toBe(1_000_000);
    expect(a["input.value.original_length"]).toBe(10_000_000);
    expect((a.big as string).length).toBe(65536);
    expect((a.big as string).endsWith("…[truncated by bentolabs]")).toBe(true);
  });
});
