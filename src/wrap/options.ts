/** Options of `bento.interaction` (wrapper and `@bento.interaction(...)` decorator). */
export interface InteractionOptions {
  /** Span name. Default: the method name (decorators) or the function's name, else "anonymous". */
  event?: string;
  /** Record the return value (awaited, or the yielded items of a stream) as `output.value`. Default true. */
  captureOutput?: boolean;
}

/** Options of `bento.tool` (wrapper and `@bento.tool(...)` decorator). */
export interface ToolOptions {
  /** Span name. Default: the method name (decorators) or the function's name, else "anonymous". */
  name?: string;
  /** Record the arguments as `input.value`, a JSON object keyed by parameter name. Default true. */
  captureInput?: boolean;
  /** Record the return value (awaited, or the yielded items of a stream) as `output.value`. Default true. */
  captureOutput?: boolean;
}

/**
 * What `@bento.interaction(...)` / `@bento.tool(...)` return: a method decorator usable under
 * TypeScript 5 standard decorators and under `experimentalDecorators`. The method keeps its type.
 */
export interface BentoMethodDecorator {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  <This, F extends (this: This, ...args: any) => any>(value: F, context: ClassMethodDecoratorContext<This, F>): F;
  <T>(target: object, propertyKey: string | symbol, descriptor: TypedPropertyDescriptor<T>): TypedPropertyDescriptor<T> | void;
}

/**
 * Excludes decorator context objects from the wrapper overload's `options`, so `@bento.tool` on a
 * getter, setter, field or accessor is a type error instead of matching `tool(fn, options)`.
 */
export interface NotADecoratorContext {
  kind?: never;
  addInitializer?: never;
}
