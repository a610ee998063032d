import { runTrajectory } from "../spans/interaction.js";
import { dispatch } from "./dispatch.js";
import type { BentoMethodDecorator, InteractionOptions, NotADecoratorContext } from "./options.js";
import { type AnyFunction, functionName, wrapFunction } from "./wrap-function.js";

function makeInteraction(fn: Function, options: InteractionOptions, member: string | undefined): Function {
  const event = typeof options.event === "string" && options.event.length > 0 ? options.event : (member ?? functionName(fn));
  const captureOutput = options.captureOutput !== false;
  return wrapFunction(fn, (self, args) => runTrajectory({ event }, () => Reflect.apply(fn, self, args), { captureOutput, streams: true }));
}

/**
 * Trace every call of a function or method as a trajectory (the root span of a trace). Works as
 * a plain-function wrapper and as a method decorator (standard and `experimentalDecorators`),
 * with or without options. Arguments are never recorded; the return value (awaited, or the items
 * a returned stream yields) becomes `output.value` unless `captureOutput: false`.
 *
 * @example
 * class Agent {
 *   @bento.interaction({ event: "support_agent" })
 *   async answer(question: string) { return llm(question); }
 * }
 * const handle = bento.interaction(async function chat(q: string) { return llm(q); });
 */
export function interaction<This, F extends (this: This, ...args: any) => any>(value: F, context: ClassMethodDecoratorContext<This, F>): F;
export function interaction<T>(
  target: object,
  propertyKey: string | symbol,
  descriptor: TypedPropertyDescriptor<T>,
): TypedPropertyDescriptor<T> | void;
export function interaction<F extends AnyFunction>(fn: F, options?: InteractionOptions & NotADecoratorContext): F;
export function interaction(options?: InteractionOptions): BentoMethodDecorator;
export function interaction(...args: unknown[]): unknown {
  return dispatch(args, makeInteraction, "interaction");
}
