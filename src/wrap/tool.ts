import { runtime } from "../runtime.js";
import { runTool } from "../spans/tool-span.js";
import { dispatch } from "./dispatch.js";
import type { BentoMethodDecorator, NotADecoratorContext, ToolOptions } from "./options.js";
import { bindArgs, paramSpec } from "./params.js";
import { type AnyFunction, functionName, wrapFunction } from "./wrap-function.js";

function makeTool(fn: Function, options: ToolOptions, member: string | undefined): Function {
  const name = typeof options.name === "string" && options.name.length > 0 ? options.name : (member ?? functionName(fn));
  const captureInput = options.captureInput !== false;
  const captureOutput = options.captureOutput !== false;
  const spec = captureInput ? paramSpec(fn) : undefined; // parsed once, at wrap time
  return wrapFunction(fn, (self, args) =>
    // Tracing off: call straight through, without binding the arguments.
    !runtime().enabled
      ? Reflect.apply(fn, self, args)
      : runTool(name, captureInput ? { input: bindArgs(spec, args) } : undefined, () => Reflect.apply(fn, self, args), {
          captureOutput,
          streams: true,
        }),
  );
}

/**
 * Trace every call of a function or method as a tool span (`openinference.span.kind = "tool"`),
 * nested under the current trajectory or tool span. The arguments become `input.value` as a JSON
 * object keyed by parameter name (`this` is never recorded); the return value (awaited, or the
 * items a returned stream yields) becomes `output.value`. Works as a wrapper and as a method
 * decorator (standard and `experimentalDecorators`), with or without options.
 *
 * @example
 * class Tools {
 *   @bento.tool
 *   async searchDocs(query: string, limit = 5) { return db.search(query, limit); }
 * }
 * const lookup = bento.tool(async function lookup(id: string) { return db.get(id); });
 */
export function tool<This, F extends (this: This, ...args: any) => any>(value: F, context: ClassMethodDecoratorContext<This, F>): F;
export function tool<T>(
  target: object,
  propertyKey: string | symbol,
  descriptor: TypedPropertyDescriptor<T>,
): TypedPropertyDescriptor<T> | void;
export function tool<F extends AnyFunction>(fn: F, options?: ToolOptions & NotADecoratorContext): F;
export function tool(options?: ToolOptions): BentoMethodDecorator;
export function tool(...args: unknown[]): unknown {
  return dispatch(args, makeTool, "tool");
}
