import type { ContextManager } from "@opentelemetry/api";
import { hmac } from "fast-sha256";
import { createFetchTransport } from "../export/fetch-transport.js";
import { utf8 } from "./bytes.js";
import { StorageContextManager } from "./storage-context-manager.js";
import type { ContextStorage, Platform } from "./types.js";

type StorageClass = new <T>() => ContextStorage<T>;

/**
 * AsyncLocalStorage where the runtime provides it: a global on Vercel Edge / Next.js middleware,
 * `process.getBuiltinModule` on Cloudflare Workers with `nodejs_compat` (also Deno and Bun).
 */
function findAsyncLocalStorage(): StorageClass | undefined {
  const g = globalThis as { AsyncLocalStorage?: StorageClass; process?: { getBuiltinModule?: (id: string) => unknown } };
  if (typeof g.AsyncLocalStorage === "function") return g.AsyncLocalStorage;
  try {
    const mod = g.process?.getBuiltinModule?.("node:async_hooks") as { AsyncLocalStorage?: StorageClass } | undefined;
    if (typeof mod?.AsyncLocalStorage === "function") return mod.AsyncLocalStorage;
  } catch {
    // not provided: fall back below
  }
  return undefined;
}

/**
 * The fallback without AsyncLocalStorage: a scope lasts for the synchronous part of its callback
 * only, and `enterWith` (the handle forms) does nothing. Nesting across `await` is lost, but a
 * span is never attached to another request's trace, which a global "current span" would do as
 * soon as two requests overlap in one isolate.
 */
class SyncStorage<T> implements ContextStorage<T> {
  private current: T | undefined;
  getStore(): T | undefined {
    return this.current;
  }
  run<R>(store: T, fn: () => R): R {
    const prev = this.current;
    this.current = store;
    try {
      return fn();
    } finally {
      this.current = prev;
    }
  }
  enterWith(): void {}
}

const Als = findAsyncLocalStorage();

/**
 * workerd's AsyncLocalStorage has no `enterWith` (it throws "not implemented"): the handle forms
 * (`begin()` without a callback) then do not become current, as in the fallback. Callback forms
 * and wrappers, which use `run`, nest as on Node.
 */
function createAls<T>(Impl: StorageClass): ContextStorage<T> {
  const als = new Impl<T>();
  let canEnter = true;
  return {
    getStore: () => als.getStore(),
    run: (store, fn) => als.run(store, fn),
    enterWith(store) {
      if (!canEnter) return;
      try {
        als.enterWith(store);
      } catch {
        canEnter = false;
      }
    },
  };
}

async function compress(body: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([body as ConstructorParameters<typeof Blob>[0] extends Iterable<infer P> | undefined ? P : never])
    .stream()
    .pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Workers, Vercel Edge and other fetch-standard runtimes. */
export const platform: Platform = {
  name: "edge",
  asyncContext: Als !== undefined,
  createStorage: <T>() => (Als ? createAls<T>(Als) : new SyncStorage<T>()),
  createContextManager: (): ContextManager | undefined => (Als ? new StorageContextManager(createAls(Als)) : undefined),
  createTransport: () => createFetchTransport(),
  gzip: typeof CompressionStream === "function" ? compress : undefined,
  // Web Crypto's HMAC is async only; the privacy hash is computed on the span path, synchronously.
  hmacSha256: (key, value) => hmac(utf8(key), utf8(value)),
  defer: (fn) => void setTimeout(fn, 0),
  unref: () => {},
  onBeforeExit: () => () => {},
};
