import { type Frame, runInFrame } from "../context.js";
import type { Completion } from "./core.js";

/**
 * Streaming results of wrapped functions. A generator, async generator or async iterable returned
 * by a wrapper/decorator keeps its span open until the consumer finishes, breaks (`return()`) or the
 * stream throws. Each step of the stream runs in the span's frame, so spans created lazily inside a
 * generator body nest under it; the consumer's loop body keeps its own context.
 */
export interface StreamHooks {
  /** The span's frame, re-entered around every `next` / `return` / `throw`. */
  frame: Frame;
  /** Record the yielded items as the output (false: record nothing, keep nothing). */
  collect: boolean;
  /** Items kept for the output (non-string items) and the character budget for string chunks. */
  limits: { maxItems: number; maxChars: number };
  /** Called exactly once when the stream ends; never throws. */
  done: (c: Completion) => void;
}

export type StreamKind = "generator" | "async-generator" | "async-iterable";

/** Which kind of stream `v` is, if any. Arrays, strings, Maps and other sync iterables are values, not streams. */
export function streamKind(v: unknown): StreamKind | undefined {
  if (v === null || (typeof v !== "object" && typeof v !== "function")) return undefined;
  try {
    const tag = Object.prototype.toString.call(v);
    if (tag === "[object Generator]" && typeof (v as Iterator<unknown>).next === "function") return "generator";
    if (tag === "[object AsyncGenerator]" && typeof (v as AsyncIterator<unknown>).next === "function") return "async-generator";
    if (typeof (v as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function") return "async-iterable";
  } catch {
    // A hostile Proxy: treat as a plain value.
  }
  return undefined;
}

/** Keeps the yielded items, bounded: strings up to `maxChars` characters, other items up to `maxItems`. */
class Collector {
  #items: unknown[] = [];
  #chars = 0;
  #strings = true;
  #dropped = 0;

  constructor(private readonly limits: StreamHooks["limits"]) {}

  push(item: unknown): void {
    if (this.#strings && typeof item === "string") {
      if (this.#chars <= this.limits.maxChars) this.#items.push(item);
      else this.#dropped++;
      this.#chars += item.length;
      return;
    }
    this.#strings = false;
    if (this.#items.length < this.limits.maxItems) this.#items.push(item);
    else this.#dropped++;
  }

  /** All strings: one joined string. Otherwise at most `maxItems` entries, the last a marker when items were dropped. */
  result(): unknown {
    if (this.#strings && this.#items.length > 0) return this.#items.join("");
    const total = this.#items.length + this.#dropped;
    if (total <= this.limits.maxItems) return this.#items.slice();
    const kept = this.#items.slice(0, Math.max(0, this.limits.maxItems - 1));
    kept.push(`…[${total - kept.length} more items truncated by bentolabs]`);
    return kept;
  }
}

type Method = "next" | "return" | "throw";
type Step = { done?: boolean; value?: unknown };

/** One stream's bookkeeping: the collector and the once-only end. */
function tracker(hooks: StreamHooks) {
  const collector = hooks.collect ? new Collector(hooks.limits) : undefined;
  let ended = false;
  return {
    get ended() {
      return ended;
    },
    fail(error: unknown) {
      if (ended) return;
      ended = true;
      hooks.done({ failed: true, error });
    },
    step(r: Step) {
      if (ended) return;
      if (r === null || typeof r !== "object") return;
      if (!r.done) {
        collector?.push(r.value);
        return;
      }
      ended = true;
      hooks.done({ failed: false, value: collector?.result() });
    },
  };
}

/** `return()` / `throw()` on an iterator that lacks them, per the iterator protocol. */
function missing(method: Method, arg: unknown): Step {
  if (method === "throw") throw arg;
  return { done: true, value: arg };
}

function trackSync<T>(it: Iterator<unknown>, hooks: StreamHooks): T {
  const t = tracker(hooks);
  const call = (method: Method, arg: unknown): Step => {
    const fn = it[method] as ((a: unknown) => Step) | undefined;
    if (t.ended) return fn ? fn.call(it, arg) : missing(method, arg);
    let r: Step;
    try {
      r = runInFrame(hooks.frame, () => (fn ? fn.call(it, arg) : missing(method, arg)));
    } catch (error) {
      t.fail(error);
      throw error;
    }
    t.step(r);
    return r;
  };
  return Object.create(Object.getPrototypeOf(it) as object, {
    next: { value: (v?: unknown) => call("next", v), writable: true, configurable: true },
    return: { value: (v?: unknown) => call("return", v), writable: true, configurable: true },
    throw: { value: (e?: unknown) => call("throw", e), writable: true, configurable: true },
    [Symbol.iterator]: {
      value: function (this: unknown) {
        return this;
      },
      writable: true,
      configurable: true,
    },
  }) as T;
}

function trackAsync<T>(it: AsyncIterator<unknown>, hooks: StreamHooks, proto: object | null): T {
  const t = tracker(hooks);
  const call = async (method: Method, arg: unknown): Promise<Step> => {
    const fn = it[method] as ((a: unknown) => Promise<Step>) | undefined;
    if (t.ended) return fn ? fn.call(it, arg) : missing(method, arg);
    let r: Step;
    try {
      r = await runInFrame(hooks.frame, () => (fn ? fn.call(it, arg) : missing(method, arg)));
    } catch (error) {
      t.fail(error);
      throw error;
    }
    t.step(r);
    return r;
  };
  return Object.create(proto, {
    next: { value: (v?: unknown) => call("next", v), writable: true, configurable: true },
    return: { value: (v?: unknown) => call("return", v), writable: true, configurable: true },
    throw: { value: (e?: unknown) => call("throw", e), writable: true, configurable: true },
    [Symbol.asyncIterator]: {
      value: function (this: unknown) {
        return this;
      },
      writable: true,
      configurable: true,
    },
  }) as T;
}

/** A property the Proxy must return unchanged (non-configurable, non-writable own data property). */
function pinned(target: object, key: PropertyKey): boolean {
  const d = Object.getOwnPropertyDescriptor(target, key);
  return !!d && d.configurable === false && "value" in d && d.writable === false;
}

/** `toString`, `valueOf`, `hasOwnProperty`…: reading them never consumes a stream. */
function isObjectMethod(key: PropertyKey, value: unknown): boolean {
  return (Object.prototype as Record<PropertyKey, unknown>)[key] === value;
}

/**
 * An async iterable that is not a generator (e.g. an LLM SDK's stream object): a Proxy that only
 * intercepts `Symbol.asyncIterator`; the first iteration is tracked. Other methods run with the
 * original object as `this`, so private fields and internal slots keep working.
 *
 * Hand-off: calling a method on the object before iterating it (`toReadableStream()`, `pipe()`,
 * `toArray()`, `finalMessage()`…) may consume it behind the Proxy's back, so the span ends then:
 * when the method's Promise settles (recording its value), or at once for any other result.
 */
function trackIterable<T extends object>(target: T, hooks: StreamHooks): T {
  if (pinned(target, Symbol.asyncIterator)) {
    hooks.done({ failed: false, value: undefined });
    return target;
  }
  let started = false;
  const methods = new Map<unknown, unknown>();
  const iterate = function (this: unknown): AsyncIterator<unknown> {
    const it = runInFrame(hooks.frame, () => (target as AsyncIterable<unknown>)[Symbol.asyncIterator]());
    if (started) return it;
    started = true;
    return trackAsync(it, hooks, Object.getPrototypeOf(it) as object | null);
  };
  const handOff = (fn: Function, self: unknown, args: unknown[]): unknown => {
    started = true;
    let result: unknown;
    try {
      result = Reflect.apply(fn, self, args);
    } catch (error) {
      hooks.done({ failed: true, error });
      throw error;
    }
    if (result instanceof Promise) {
      result.then(
        (value: unknown) => hooks.done({ failed: false, value: hooks.collect ? value : undefined }),
        (error: unknown) => hooks.done({ failed: true, error }),
      );
    } else hooks.done({ failed: false, value: undefined });
    return result;
  };
  const proxy: T = new Proxy(target, {
    get(t, key) {
      if (key === Symbol.asyncIterator) return iterate;
      const value: unknown = Reflect.get(t, key, t);
      if (typeof value !== "function" || pinned(t, key) || isObjectMethod(key, value)) return value;
      let bound = methods.get(value);
      if (!bound) {
        const fn = value as (...args: unknown[]) => unknown;
        bound = function (this: unknown, ...args: unknown[]) {
          const self = this === proxy ? t : this;
          return started ? Reflect.apply(fn, self, args) : handOff(fn, self, args);
        };
        methods.set(value, bound);
      }
      return bound;
    },
  });
  return proxy;
}

/** Return a stand-in for the stream `value` that ends the span when consumption ends. */
export function trackStream<T>(value: T, kind: StreamKind, hooks: StreamHooks): T {
  if (kind === "generator") return trackSync(value as Iterator<unknown>, hooks);
  if (kind === "async-generator") return trackAsync(value as AsyncIterator<unknown>, hooks, Object.getPrototypeOf(value) as object | null);
  return trackIterable(value as T & object, hooks);
}
