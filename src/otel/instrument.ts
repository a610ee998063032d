import type { TracerProvider } from "@opentelemetry/api";
import { log } from "../log.js";
import { armContextManager } from "./context-manager.js";
import { getTracerProvider } from "./tracer-provider.js";
import { prepareOpenInference } from "./openinference/index.js";

/** What `instrument()` needs from an OpenTelemetry instrumentation (`InstrumentationBase` has it). */
export interface InstrumentationLike {
  setTracerProvider(provider: TracerProvider): void;
  enable(): void;
  instrumentationName?: string;
}

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
 * @example
 * import { OpenAIInstrumentation } from "@arizeai/openinference-instrumentation-openai";
 * import OpenAI from "openai";
 * const openaiInstrumentation = new OpenAIInstrumentation();
 * bento.instrument(openaiInstrumentation);
 * openaiInstrumentation.manuallyInstrument(OpenAI);
 */
export function instrument(...instrumentations: InstrumentationLike[]): void {
  armContextManager();
  const provider = getTracerProvider();
  for (const instrumentation of instrumentations) {
    try {
      instrumentation.setTracerProvider(provider);
      // OpenInference's LLM-client instrumentations: streamed token counts, cut-off streams (see the module).
      prepareOpenInference(instrumentation);
      instrumentation.enable();
    } catch (err) {
      const name = instrumentation?.instrumentationName ?? "instrumentation";
      log.warn(`Could not enable ${name}: ${String(err)}`);
    }
  }
}
