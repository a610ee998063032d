import { log } from "../log.js";
import { memberName } from "./wrap-function.js";

/** Builds the wrapped function for `fn` (the one path decorators and wrappers share). */
export type MakeWrapper<O> = (fn: Function, options: O, memberName: string | undefined) => Function;

interface MethodContext {
  kind: string;
  name: string | symbol;
}

function isStandardContext(v: unknown): v is MethodContext {
  return (
    typeof v === "object" &&
    v !== null &&
    typeof (v as MethodContext).kind === "string" &&
    "name" in v &&
    typeof (v as { addInitializer?: unknown }).addInitializer === "function"
  );
}

function isLegacyCall(args: readonly unknown[]): boolean {
  const [target, key, descriptor] = args;
  return (
    args.length === 3 &&
    (typeof target === "object" || typeof target === "function") &&
    target !== null &&
    (typeof key === "string" || typeof key === "symbol") &&
    (descriptor === undefined || (typeof descriptor === "object" && descriptor !== null))
  );
}

function isOptions(v: unknown): v is object {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Apply as a decorator, if `args` is a standard or legacy decorator call; `handled: false` otherwise. */
function decorate<O>(args: readonly unknown[], options: O, make: MakeWrapper<O>, api: string): { handled: boolean; result?: unknown } {
  const [a, b, c] = args;
  if (isStandardContext(b)) {
    if (b.kind !== "method" || typeof a !== "function") {
      log.warnOnce(`${api}_kind_${b.kind}`, `@bento.${api} only decorates methods; "${String(b.name)}" (${b.kind}) is left unchanged.`);
      return { handled: true, result: undefined };
    }
    return { handled: true, result: make(a, options, memberName(b.name)) };
  }
  if (isLegacyCall(args)) {
    const descriptor = c as PropertyDescriptor | undefined;
    if (!descriptor || typeof descriptor.value !== "function") {
      log.warnOnce(`${api}_legacy_kind`, `@bento.${api} only decorates methods; "${String(b)}" is left unchanged.`);
      return { handled: true, result: undefined };
    }
    descriptor.value = make(descriptor.value as Function, options, memberName(b));
    return { handled: true, result: descriptor };
  }
  return { handled: false };
}

/**
 * One export name, four call forms: `(fn, options?)` wraps a function; `(value, context)` is a
 * standard method decorator; `(target, key, descriptor)` is an `experimentalDecorators` method
 * decorator; `(options?)` returns a decorator for either mode.
 */
export function dispatch<O extends object>(args: readonly unknown[], make: MakeWrapper<O>, api: string): unknown {
  const direct = decorate(args, {} as O, make, api);
  if (direct.handled) return direct.result;
  const [a, b] = args;
  if (typeof a === "function") return make(a, (isOptions(b) ? b : {}) as O, undefined);
  if (a !== undefined && !isOptions(a)) {
    log.warnOnce(`${api}_bad_call`, `bento.${api} expects a function or an options object; got ${typeof a}. Nothing is traced.`);
  }
  const options = (isOptions(a) ? a : {}) as O;
  return function bentoDecorator(...decoratorArgs: unknown[]): unknown {
    const applied = decorate(decoratorArgs, options, make, api);
    if (!applied.handled)
      log.warnOnce(`${api}_bad_decorator`, `@bento.${api}(...) was applied to something that is not a method; left unchanged.`);
    return applied.result;
  };
}
