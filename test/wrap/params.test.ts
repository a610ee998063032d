import { describe, expect, it } from "vitest";
import { bindArgs, paramSpec, parseParams } from "../../src/wrap/params.js";

/* eslint-disable @typescript-eslint/no-unused-vars */
const keys = (fn: Function) => paramSpec(fn)?.map((p) => (p.rest ? `...${p.key}` : p.key));

describe("parameter names from function source", () => {
  it("reads plain, defaulted and rest parameters of every function form", () => {
    expect(keys(function f(a: number, b = 2, ...rest: number[]) {})).toEqual(["a", "b", "...rest"]);
    expect(keys(async function f(query: string) {})).toEqual(["query"]);
    expect(keys(function* g(x: number) {})).toEqual(["x"]);
    expect(keys(async function* g(y: number) {})).toEqual(["y"]);
    expect(keys((a: number, b: number) => a + b)).toEqual(["a", "b"]);
    expect(keys(parseArrow("single => single"))).toEqual(["single"]);
    expect(keys(parseArrow("async single => single"))).toEqual(["single"]);
    expect(keys(async (q: string) => q)).toEqual(["q"]);
    expect(keys(() => 0)).toEqual([]);
  });

  it("reads class methods: instance, static, async, generator, computed, string-named and private", () => {
    class C {
      m(x: number, y = 1) {}
      static s(z: number) {}
      async am(q: string) {}
      *gm(r: number) {}
      ["comp" + "uted(x)"](p: number) {}
      "quoted (name)"(w: number) {}
      #priv(v: number) {}
      static privSpec() {
        return keys(new C().#priv);
      }
    }
    const c = new C();
    expect(keys(c.m)).toEqual(["x", "y"]);
    expect(keys(C.s)).toEqual(["z"]);
    expect(keys(c.am)).toEqual(["q"]);
    expect(keys(c.gm)).toEqual(["r"]);
    expect(keys((c as unknown as Record<string, Function>)["computed(x)"]!)).toEqual(["p"]);
    expect(keys(c["quoted (name)"])).toEqual(["w"]);
    expect(C.privSpec()).toEqual(["v"]);
  });

  it("records destructured parameters under their position", () => {
    expect(keys(({ a, b }: { a: number; b: number }, [c]: number[], d: number) => 0)).toEqual(["arg0", "arg1", "d"]);
    expect(keys(function f(first: number, ...[x, y]: number[]) {})).toEqual(["first", "...arg1"]);
  });

  it("is not fooled by commas, parens and brackets inside defaults, strings, templates, regexes and comments", () => {
    const spec = parseParams("function f(a = 'x,y)', b = (1, 2), c = { d: [1, 2] }, e = `t${(1, 2)}`, f = /,\\)/g, /* g, */ h // i,\n) {}");
    expect(spec?.map((p) => p.key)).toEqual(["a", "b", "c", "e", "f", "h"]);
    expect(parseParams("function f(a, b,) {}")?.map((p) => p.key)).toEqual(["a", "b"]);
    expect(parseParams("(café, 名前) => 0")?.map((p) => p.key)).toEqual(["café", "名前"]);
  });

  it("falls back to positional names when the source is native, bound or unreadable", () => {
    expect(paramSpec(Math.max)).toBeUndefined();
    expect(paramSpec(function f(a: number) {}.bind(null))).toBeUndefined();
    expect(paramSpec(class K {})).toBeUndefined();
    expect(parseParams("not a function")).toBeUndefined();
    expect(bindArgs(undefined, [1, "two"])).toEqual({ arg0: 1, arg1: "two" });
  });

  it("binds arguments by name, omits missing ones, collects rest and names extras argN", () => {
    const spec = paramSpec(function f(a: number, b?: number, ...more: number[]) {});
    expect(bindArgs(spec, [1])).toEqual({ a: 1, more: [] }); // rest is always an array, as inside the function
    expect(bindArgs(spec, [1, 2, 3, 4])).toEqual({ a: 1, b: 2, more: [3, 4] });
    const fixed = paramSpec(function g(a: number) {});
    expect(bindArgs(fixed, [1, 2])).toEqual({ a: 1, arg1: 2 });
    const proto = bindArgs(
      paramSpec(function h(__proto__: unknown) {}),
      [{ polluted: true }],
    );
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(Object.keys(proto)).toEqual(["__proto__"]);
  });

  it("caches the parse per function", () => {
    const fn = (a: number) => a;
    expect(paramSpec(fn)).toBe(paramSpec(fn));
  });
});

/** A function whose source text is exactly `src` (esbuild would reformat a literal arrow). */
function parseArrow(src: string): Function {
  return new Function(`return (${src});`)() as Function;
}
