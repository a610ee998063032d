/**
 * Type-level tests. `expectTypeOf` assertions and `@ts-expect-error` lines are checked by the
 * `typecheck` step of `npm test` (tsc over test/, standard decorators); the fixture compiler
 * (compile-fixtures.ts) checks decorated methods again under `experimentalDecorators`.
 */
import { describe, expectTypeOf, it } from "vitest";
import * as bento from "../../src/index.js";

function add(a: number, b = 2): number {
  return a + b;
}
async function fetchUser(id: string, opts?: { fresh: boolean }): Promise<{ id: string }> {
  return { id: opts?.fresh ? id : id };
}
function identity<T>(value: T): T {
  return value;
}
function* lines(text: string): Generator<string, number, undefined> {
  yield text;
  return 1;
}
function scaled(this: { factor: number }, x: number): number {
  return this.factor * x;
}
function overloaded(x: string): string;
function overloaded(x: number): number;
function overloaded(x: string | number): string | number {
  return x;
}

class Service {
  @bento.interaction
  handle(question: string): string {
    return question;
  }
  @bento.interaction({ event: "run", captureOutput: false })
  async run(n: number): Promise<number> {
    return n;
  }
  @bento.tool
  static lookup<T extends string>(key: T): T {
    return key;
  }
  @bento.tool({ name: "stream", captureInput: false })
  async *stream(count: number): AsyncGenerator<number, void, undefined> {
    yield count;
  }
}

class NotMethods {
  // @ts-expect-error the decorators are for methods only, not getters
  @bento.tool
  get value(): number {
    return 1;
  }
  // @ts-expect-error … nor setters
  @bento.interaction({ event: "set" })
  set value(_v: number) {}
}

describe("types", () => {
  it("wrapped functions keep their exact signature", () => {
    expectTypeOf(bento.tool(add)).toEqualTypeOf<typeof add>();
    expectTypeOf(bento.tool(fetchUser, { name: "fetch_user" })).toEqualTypeOf<typeof fetchUser>();
    const generic: typeof identity = bento.interaction(identity); // expect-type can't compare generic functions
    expectTypeOf(generic("s")).toEqualTypeOf<string>();
    expectTypeOf(bento.tool(lines)).toEqualTypeOf<typeof lines>();
    expectTypeOf(bento.tool(scaled)).toEqualTypeOf<typeof scaled>();
    expectTypeOf(bento.tool(overloaded)).toEqualTypeOf<typeof overloaded>();
    expectTypeOf(bento.interaction(identity)(3)).toEqualTypeOf<number>();
    expectTypeOf(bento.tool(add)(1)).not.toEqualTypeOf<Promise<number>>();
  });

  it("decorated methods keep their exact signature", () => {
    expectTypeOf<Service["handle"]>().toEqualTypeOf<(question: string) => string>();
    expectTypeOf<Service["run"]>().toEqualTypeOf<(n: number) => Promise<number>>();
    expectTypeOf(Service.lookup<"a">).returns.toEqualTypeOf<"a">();
    expectTypeOf<Service["stream"]>().toEqualTypeOf<(count: number) => AsyncGenerator<number, void, undefined>>();
  });

  it("the decorator factories return a decorator for both modes", () => {
    expectTypeOf(bento.tool({ name: "x" })).toEqualTypeOf<bento.BentoMethodDecorator>();
    expectTypeOf(bento.interaction()).toEqualTypeOf<bento.BentoMethodDecorator>();
  });

  it("rejects wrong arguments and unknown options", () => {
    // Never called: only the compile-time errors matter here.
    const negatives = () => {
      // @ts-expect-error the wrapper keeps parameter types
      bento.tool(add)("1");
      // @ts-expect-error ToolOptions has no `event` (that is InteractionOptions)
      bento.tool(add, { event: "x" });
      // @ts-expect-error InteractionOptions never capture input
      bento.interaction(add, { captureInput: true });
      // @ts-expect-error `this` stays required
      bento.tool(scaled)(2);
    };
    expectTypeOf(negatives).toBeFunction();
  });
});
