import { context, createContextKey, ROOT_CONTEXT } from "@opentelemetry/api";
import { log } from "../log.js";
import { platform } from "../platform/host.js";

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
  // Undefined on an edge runtime without AsyncLocalStorage: nothing could carry the context.
  const manager = platform.createContextManager();
  return manager ? context.setGlobalContextManager(manager.enable()) : false;
}

let armed = false;

/**
 * `instrument()` arms the registration rather than registering at once: it happens when the first
 * span starts through Bento's provider, which is when an instrumentation first needs it. An app
 * that sets up its own OpenTelemetry after calling `instrument()` but before its first instrumented
 * call (the usual startup order) keeps its own manager, with no "duplicate registration" error.
 */
export function armContextManager(): void {
  armed = true;
}

export function ensureContextManagerIfArmed(): void {
  if (!armed) return;
  armed = false;
  try {
    ensureContextManager();
  } catch (err) {
    log.warnOnce("context_manager", `Could not register a context manager: ${String(err)}`);
  }
}
