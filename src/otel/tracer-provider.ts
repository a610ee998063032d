import type { Tracer, TracerOptions, TracerProvider } from "@opentelemetry/api";
import { flush } from "../runtime.js";
import { BentoTracer } from "./tracer.js";

/** A TracerProvider for OpenTelemetry instrumentations, backed by Bento's own provider. */
export class BentoTracerProvider implements TracerProvider {
  private readonly tracers = new Map<string, Tracer>();

  getTracer(name: string, version?: string, options?: TracerOptions): Tracer {
    const key = `${name}@${version ?? ""}:${options?.schemaUrl ?? ""}`;
    let tracer = this.tracers.get(key);
    if (!tracer) this.tracers.set(key, (tracer = new BentoTracer(name, version, options)));
    return tracer;
  }

  /** Export what is queued (some libraries call this at the end of a request). Never rejects. */
  async forceFlush(): Promise<void> {
    await flush();
  }
}

const provider = new BentoTracerProvider();

/**
 * Bento's TracerProvider, for libraries and OpenTelemetry instrumentations that accept one.
 * Spans they create while a Bento trajectory or tool span is open become its children and are
 * exported to Bento with the same key; other spans go to Bento as their own traces. It is never
 * registered globally, so an app's own OpenTelemetry setup is untouched.
 *
 * @example
 * const result = await generateText({
 *   model, prompt,
 *   experimental_telemetry: { isEnabled: true, tracer: bento.getTracerProvider().getTracer("ai") },
 * });
 */
export function getTracerProvider(): TracerProvider {
  return provider;
}
