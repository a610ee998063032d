import type { SpanProcessor } from "@opentelemetry/sdk-trace-base";

const KEY = Symbol.for("@bentolabs/sdk.spanSinks");

/**
 * The process-wide set of in-process span sinks (test capture). Kept on `globalThis` so the
 * separately bundled `@bentolabs/sdk/testing` entry (and an ESM + CJS copy of the SDK loaded
 * side by side) all feed and read the same set.
 */
export function spanSinks(): Set<SpanProcessor> {
  const g = globalThis as { [KEY]?: Set<SpanProcessor> };
  return (g[KEY] ??= new Set<SpanProcessor>());
}
