import { type Context, type ContextManager, ROOT_CONTEXT } from "@opentelemetry/api";
import type { ContextStorage } from "./types.js";

/**
 * An OpenTelemetry context manager on any AsyncLocalStorage-shaped storage. The edge build's
 * stand-in for `@opentelemetry/context-async-hooks`, which imports Node's `async_hooks`.
 */
export class StorageContextManager implements ContextManager {
  constructor(private readonly storage: ContextStorage<Context>) {}

  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.storage.run(ctx, () => fn.apply(thisArg, args));
  }

  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== "function") return target;
    const storage = this.storage;
    const fn = target as unknown as (...args: unknown[]) => unknown;
    return function (this: unknown, ...args: unknown[]) {
      return storage.run(ctx, () => fn.apply(this, args));
    } as unknown as T;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    return this;
  }
}
