import type { TracerProvider } from "@opentelemetry/api";
import { log } from "../log.js";
import { onShutdown } from "../runtime.js";
import { type AutoDeps, defaultAutoDeps, detectInstrumentations, type Patchable } from "./auto.js";
import { armContextManager } from "./context-manager.js";
import { prepareOpenInference } from "./openinference/index.js";
import { getTracerProvider } from "./tracer-provider.js";

/** What `instrument()` needs from an OpenTelemetry instrumentation (`InstrumentationBase` has it). */
export interface InstrumentationLike {
  setTracerProvider(provider: TracerProvider): void;
  enable(): void;
  disable?(): void;
  instrumentationName?: string;
}

/** Everything `instrument()` enabled, and whether Bento constructed it (auto-detection). */
const enabled = new Map<InstrumentationLike, { auto: boolean }>();

/**
 * Hand Bento's tracer provider to OpenTelemetry instrumentations and enable them, so the spans
 * they create inside `bento.begin(...)` are children of the trajectory, exported with Bento's key.
 * The instrumentations need a global context manager: when the first span starts through Bento's
 * provider after this call, an AsyncLocalStorage one is registered if none is registered by then,
 * so an app that sets up its own OpenTelemetry later in startup keeps its own. Never registers a
 * global TracerProvider or propagator. Never throws.
 *
 * Auto-patching covers modules loaded through `require` after this call. In ES module apps, or
 * for a module already loaded, patch the module you hold: `instrumentation.manuallyInstrument(OpenAI)`,
 * after this call.
 *
 * With OpenInference's OpenAI instrumentation, streamed chat completions also get token counts
 * (`llm.token_count.*`) when the request sets `stream_options: { include_usage: true }`; the
 * instrumentation alone records them only for non-streamed calls. With its OpenAI and Anthropic
 * instrumentations, a stream the network cuts off ends its span as an error instead of crashing
 * the process with an unhandled rejection.
 *
 * With no argument, it finds the OpenInference instrumentations installed next to their client
 * libraries (`@arizeai/openinference-instrumentation-openai` with `openai`,
 * `@arizeai/openinference-instrumentation-anthropic` with `@anthropic-ai/sdk`), enables them and
 * patches the client modules (ES module and CommonJS), then resolves with the packages it enabled.
 * Await it before the first LLM call.
 *
 * @example
 * await bento.instrument(); // ["@arizeai/openinference-instrumentation-openai"]
 * @example
 * import { OpenAIInstrumentation } from "@arizeai/openinference-instrumentation-openai";
 * import OpenAI from "openai";
 * const openaiInstrumentation = new OpenAIInstrumentation();
 * bento.instrument(openaiInstrumentation);
 * openaiInstrumentation.manuallyInstrument(OpenAI);
 */
export function instrument(): Promise<string[]>;
export function instrument(...instrumentations: InstrumentationLike[]): void;
export function instrument(...instrumentations: InstrumentationLike[]): Promise<string[]> | void {
  if (instrumentations.length === 0) return autoInstrument();
  armContextManager();
  for (const instrumentation of instrumentations) enableOne(instrumentation, false);
}

function enableOne(instrumentation: InstrumentationLike, auto: boolean): boolean {
  try {
    instrumentation.setTracerProvider(getTracerProvider());
    // OpenInference's LLM-client instrumentations: streamed token counts, cut-off streams (see the module).
    prepareOpenInference(instrumentation);
    instrumentation.enable();
    if (!enabled.has(instrumentation)) enabled.set(instrumentation, { auto });
    return true;
  } catch (err) {
    const name = instrumentation?.instrumentationName ?? "instrumentation";
    log.warn(`Could not enable ${name}: ${String(err)}`);
    return false;
  }
}

/** @internal The no-argument form, with injectable module loading for tests. */
export async function autoInstrument(deps: AutoDeps = defaultAutoDeps): Promise<string[]> {
  armContextManager();
  try {
    const found = await detectInstrumentations((i: Patchable) => {
      // Already enabled by an earlier instrument(): keep that one, do not patch twice.
      for (const [known] of enabled)
        if (known.instrumentationName !== undefined && known.instrumentationName === i.instrumentationName) return false;
      return enableOne(i, true);
    }, deps);
    return found.map((f) => f.name);
  } catch (err) {
    log.warnOnce("instrument_auto", `bento.instrument() could not detect instrumentations: ${String(err)}`);
    return [];
  }
}

/**
 * Disable every instrumentation `instrument()` enabled (auto-detected or passed in) and forget
 * them; their spans stop and the client libraries are unpatched. `shutdown()` does the same for
 * the auto-detected ones only: an instrumentation you constructed stays yours. Never throws.
 *
 * @example
 * await bento.instrument();
 * // …
 * bento.uninstrument();
 */
export function uninstrument(): void {
  disableWhere(() => true);
}

function disableWhere(match: (auto: boolean) => boolean): void {
  for (const [instrumentation, { auto }] of [...enabled]) {
    if (!match(auto)) continue;
    enabled.delete(instrumentation);
    try {
      instrumentation.disable?.();
    } catch (err) {
      log.warn(`Could not disable ${instrumentation.instrumentationName ?? "instrumentation"}: ${String(err)}`);
    }
  }
}

onShutdown(() => disableWhere((auto) => auto));
