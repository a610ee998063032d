import { context, createContextKey, ROOT_CONTEXT } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";

const PROBE = createContextKey("@bentolabs/sdk context manager probe");

/** True when a working global context manager is registered (the no-op one drops values). */
export function hasContextManager(): boolean {
  return context.with(ROOT_CONTEXT.setValue(PROBE, 1), () => context.active().getValue(PROBE)) === 1;
}

/**
 * Register an AsyncLocalStorage context manager globally, only when none is registered.
 *
 * Why: the core SDK carries trajectories in its own AsyncLocalStorage and needs no global
 * context manager. OpenTelemetry instrumentations (OpenInference's among them) propagate their
 * own span to nested calls through `context.with`, which is a no-op without one. An app that
 * already registered a manager keeps it; Bento never registers a TracerProvider or propagator.
 * Returns true when this call registered one.
 */
export function ensureContextManager(): boolean {
  if (hasContextManager()) return false;
  return context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}
