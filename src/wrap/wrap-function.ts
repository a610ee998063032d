/** Any callable; the wrappers accept exactly what a function type accepts. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFunction = (...args: any) => any;

/**
 * A function that forwards `this` and the arguments to `call`, with `fn`'s `name` and `length`,
 * so stack traces, `fn.length`-based dispatchers and logs see the original.
 */
export function wrapFunction<F extends Function>(fn: F, call: (self: unknown, args: unknown[]) => unknown): F {
  // An async function stays an AsyncFunction (`util.types.isAsyncFunction`, `fn.constructor.name`), which some
  // frameworks check; its result was a Promise already, so nothing else changes.
  const wrapped = isAsync(fn)
    ? async function (this: unknown, ...args: unknown[]): Promise<unknown> {
        return call(this, args);
      }
    : function (this: unknown, ...args: unknown[]): unknown {
        return call(this, args);
      };
  for (const key of ["name", "length"] as const) {
    try {
      Object.defineProperty(wrapped, key, { value: fn[key], configurable: true });
    } catch {
      // A hostile function whose name/length can't be read: keep the wrapper's own.
    }
  }
  return wrapped as unknown as F;
}

function isAsync(fn: Function): boolean {
  try {
    return Object.prototype.toString.call(fn) === "[object AsyncFunction]";
  } catch {
    return false;
  }
}

/** The span name a function gives itself: its `name` without the `bound ` prefix, else "anonymous". */
export function functionName(fn: Function): string {
  let name: unknown;
  try {
    name = fn.name;
  } catch {
    name = undefined;
  }
  if (typeof name !== "string") return "anonymous";
  const clean = name.replace(/^(bound )+/, "");
  return clean.length > 0 ? clean : "anonymous";
}

/** The span name of a class member key (symbols by their description). */
export function memberName(key: unknown): string | undefined {
  if (typeof key === "string" && key.length > 0) return key;
  if (typeof key === "symbol" && key.description) return key.description;
  return undefined;
}
