import type { ContextManager } from "@opentelemetry/api";
import type { Transport } from "../export/transport.js";

/** The slice of AsyncLocalStorage the SDK uses. */
export interface ContextStorage<T> {
  getStore(): T | undefined;
  run<R>(store: T, fn: () => R): R;
  enterWith(store: T): void;
}

/**
 * Everything the tracing entry point needs from its host runtime. The Node build binds
 * `host.ts` to `node.ts`; the edge build (workerd, edge-light) swaps in `edge.ts` at bundle
 * time, so that build imports no Node-only module. Chosen at build time rather than detected,
 * because a static `import "node:http"` alone breaks an edge bundler.
 */
export interface Platform {
  readonly name: "node" | "edge";
  /** Whether the storage really follows async flows (false: the synchronous fallback). */
  readonly asyncContext: boolean;
  createStorage<T>(): ContextStorage<T>;
  /** An OpenTelemetry context manager on the same storage, or undefined where there is none. */
  createContextManager(): ContextManager | undefined;
  /** The exporter's HTTP client. */
  createTransport(): Transport;
  /** gzip, or undefined where the runtime cannot compress (the body is then sent as is). */
  gzip: ((body: Uint8Array) => Promise<Uint8Array>) | undefined;
  /** Run `fn` on a later macrotask without keeping the process alive. */
  defer(fn: () => void): void;
  /** HMAC-SHA256 of `value` (UTF-8) under `key` (UTF-8); synchronous on every build. */
  hmacSha256(key: string, value: string): Uint8Array;
  /** Let a timer not keep the process alive (a no-op where timers are plain numbers). */
  unref(timer: unknown): void;
  /** Register `fn` for a natural process exit; returns its remover. A no-op without a process. */
  onBeforeExit(fn: () => void): () => void;
}
