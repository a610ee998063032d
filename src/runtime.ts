import type { Context, Tracer } from "@opentelemetry/api";
import { BasicTracerProvider, type ReadableSpan, type Span, type SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { assertSecureBaseUrl, resolveOptions, type ConnectionOptions, type ResolvedOptions } from "./config.js";
import { BentoAuthError } from "./errors.js";
import { configureIdentity, resetIdentity, type IdentityOptions } from "./identity.js";
import { log, registerSecret } from "./log.js";
import { DEFAULT_VALUE_LIMITS } from "./attributes/values.js";
import type { MapSettings } from "./attributes/map.js";
import { createExportPipeline } from "./export/pipeline.js";
import type { ExportOptions, ExportPipeline, ExportStats, FlushResult } from "./export/types.js";
import { VERSION } from "./version.js";
import { spanSinks } from "./sinks.js";
import type { SpanTarget } from "./spans/bento-span.js";

/** Options for {@link init}. Everything is optional; the environment fills the rest. */
export interface InitOptions extends ConnectionOptions, IdentityOptions, ExportOptions {
  /** Also write OpenInference / Langfuse-style attribute twins (`user.id`, `llm.model_name`, …). Default true. */
  portableAttributes?: boolean;
  /** `service.name` resource attribute. Default: `OTEL_SERVICE_NAME`, else "bento-agent". */
  serviceName?: string;
  /** Attributes kept per span; later ones are dropped by OpenTelemetry. Default 128. */
  maxAttributesPerSpan?: number;
  /** Bound of the single flush on a natural exit (`beforeExit`), in ms. Default 2000. */
  exitFlushTimeoutMs?: number;
  /**
   * On SIGTERM / SIGINT, flush (bounded by `exitFlushTimeoutMs`) and then exit with the signal's
   * conventional code. Installed only when the app has no handler of its own. Default false.
   */
  flushOnSignals?: boolean;
}

const EXIT_FLUSH_TIMEOUT_MS = 2000;
const SIGNALS = ["SIGTERM", "SIGINT"] as const;

/** Fans span events out to the export pipeline and to any in-process sinks (test capture). */
class Fanout implements SpanProcessor {
  pipeline: ExportPipeline | undefined;
  // Shared process-wide (see sinks.ts): the testing entry is a separate bundle.
  readonly sinks = spanSinks();
  onStart(span: Span, ctx: Context): void {
    this.pipeline?.onStart(span, ctx);
    for (const s of this.sinks) s.onStart(span, ctx);
  }
  onEnd(span: ReadableSpan): void {
    try {
      this.pipeline?.onEnd(span);
    } catch (err) {
      log.warnOnce("pipeline_onEnd", `Span export failed unexpectedly: ${String(err)}`);
    }
    for (const s of this.sinks) {
      try {
        s.onEnd(span);
      } catch {
        // a sink must never break the host
      }
    }
  }
  async forceFlush(): Promise<void> {
    await this.pipeline?.forceFlush();
  }
  async shutdown(): Promise<void> {
    await this.pipeline?.shutdown();
  }
}

interface State {
  readonly provider: BasicTracerProvider;
  readonly tracer: Tracer;
  readonly fanout: Fanout;
  /** Where Bento's own spans go (see spans/bento-span.ts): the provider's processor and resource. */
  readonly spanTarget: SpanTarget;
  readonly settings: MapSettings;
  readonly resolved: ResolvedOptions | undefined;
  readonly onBeforeExit: () => void;
  readonly signalHandlers: ReadonlyArray<[NodeJS.Signals, () => void]>;
}

let state: State | undefined;
const sinks = spanSinks();
const shutdownHooks = new Set<() => void>();

/** @internal Run `hook` on every `shutdown()` (e.g. disable auto-enabled instrumentations). */
export function onShutdown(hook: () => void): void {
  shutdownHooks.add(hook);
}

function build(options: InitOptions, resolved: ResolvedOptions | undefined): State {
  const fanout = new Fanout();
  if (resolved) {
    registerSecret(resolved.apiKey);
    fanout.pipeline = createExportPipeline({ ...options, ...resolved });
  }
  const serviceName = options.serviceName ?? process.env.OTEL_SERVICE_NAME ?? "bento-agent";
  const resource = resourceFromAttributes({ "service.name": serviceName, "telemetry.sdk.name": "@bentolabs/sdk", "telemetry.sdk.version": VERSION });
  const attributeCountLimit = positive(options.maxAttributesPerSpan) ?? 128;
  const provider = new BasicTracerProvider({ resource, spanProcessors: [fanout], spanLimits: { attributeCountLimit } });
  const exitMs = positive(options.exitFlushTimeoutMs) ?? EXIT_FLUSH_TIMEOUT_MS;
  let exiting = false;
  const onBeforeExit = () => {
    // Natural exit: one bounded flush. Only its timer is ref'd (sockets and retry timers are not),
    // so the process ends as soon as it resolves; on timeout what is in flight is aborted.
    if (exiting || !fanout.pipeline || fanout.pipeline.stats().queued === 0) return;
    exiting = true;
    void fanout.pipeline.drain({ timeoutMs: exitMs });
  };
  if (resolved) process.on("beforeExit", onBeforeExit);
  const signalHandlers = resolved && options.flushOnSignals === true ? installSignalHandlers(exitMs) : [];
  return {
    provider,
    tracer: provider.getTracer("@bentolabs/sdk", VERSION),
    fanout,
    spanTarget: { processor: fanout, resource, scope: { name: "@bentolabs/sdk", version: VERSION, schemaUrl: undefined }, attributeCountLimit },
    settings: { portable: options.portableAttributes ?? true, limits: DEFAULT_VALUE_LIMITS },
    resolved,
    onBeforeExit,
    signalHandlers,
  };
}

function positive(n: number | undefined): number | undefined {
  return typeof n === "number" && Number.isFinite(n) && n > 0 ? n : undefined;
}

/** Opt-in: flush on SIGTERM/SIGINT, then end as the signal would have. Never replaces the app's own handler. */
function installSignalHandlers(timeoutMs: number): Array<[NodeJS.Signals, () => void]> {
  const installed: Array<[NodeJS.Signals, () => void]> = [];
  for (const signal of SIGNALS) {
    if (process.listenerCount(signal) > 0) continue;
    const handler = () => {
      for (const [sig, h] of installed) process.removeListener(sig, h);
      void shutdown({ timeoutMs }).then(() => {
        // Re-raise so the process ends as the signal would have (exit code 128 + n). If the app
        // added its own handler meanwhile, that handler decides instead.
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
    };
    process.on(signal, handler);
    installed.push([signal, handler]);
  }
  return installed;
}

/**
 * Configure the SDK explicitly. Optional: the first tracing call initializes from the environment.
 * Calling it again with the same key and base URL updates the other options (identity sources,
 * …); a different key or URL throws `already_initialized` — call `shutdown()` first to rotate.
 *
 * @example
 * bento.init({ apiKey: process.env.BENTOLABS_API_KEY, userId: () => currentUser()?.id });
 */
export function init(options: InitOptions = {}): void {
  // Every check first: a call that throws changes nothing (SPEC.md §5a).
  const resolved = resolveOptions(options);
  assertSecureBaseUrl(resolved.baseUrl, options.allowInsecureHttp);
  if (state?.resolved && (state.resolved.apiKey !== resolved.apiKey || state.resolved.baseUrl !== resolved.baseUrl)) {
    throw new BentoAuthError(
      "already_initialized",
      "Bento is already initialized with a different API key or base URL. Call `await bento.shutdown()` before init() to rotate.",
    );
  }
  configureIdentity(options);
  if (state?.resolved) {
    if (options.portableAttributes === undefined) return;
    state = { ...state, settings: { ...state.settings, portable: options.portableAttributes } };
    return;
  }
  if (state) teardown(state);
  state = build(options, resolved);
}

/** The running state, initialized lazily from the environment. Never throws. */
export function runtime(): State {
  if (state) return state;
  let resolved: ResolvedOptions | undefined;
  try {
    // A plain http:// remote URL is not an error here: the pipeline refuses to send (one warning
    // naming both fixes), counts the spans as dropped (insecure_http) and flush() is not ok.
    resolved = resolveOptions();
  } catch (err) {
    // With a test capture active, keyless tracing is intended: spans go to the capture only.
    if (sinks.size === 0) log.warnOnce("lazy_init", `Tracing is disabled: ${(err as Error).message}`);
  }
  state = build({}, resolved);
  return state;
}

function teardown(s: State): void {
  process.removeListener("beforeExit", s.onBeforeExit);
  for (const [signal, handler] of s.signalHandlers) process.removeListener(signal, handler);
}

/**
 * Export everything queued now. Resolves (never rejects) when done or after `timeoutMs`.
 *
 * @example
 * await bento.flush(); // at the end of a serverless handler
 */
export async function flush(options: { timeoutMs?: number } = {}): Promise<FlushResult> {
  const pipeline = state?.fanout.pipeline;
  if (!pipeline) return { ok: true, pending: 0 };
  try {
    const result = await pipeline.flush(options);
    // Refusing plain http:// drops every span, so any such drop means this flush delivered nothing.
    return pipeline.stats().dropped.insecure_http ? { ...result, ok: false } : result;
  } catch {
    return { ok: false, pending: pipeline.stats().queued };
  }
}

/**
 * Flush, then stop. The next tracing call (or `init()`) starts afresh. Never rejects.
 *
 * @example
 * process.on("SIGTERM", async () => { await bento.shutdown(); process.exit(0); });
 */
export async function shutdown(options: { timeoutMs?: number } = {}): Promise<FlushResult> {
  for (const hook of shutdownHooks) {
    try {
      hook();
    } catch {
      // a hook must never make shutdown() reject
    }
  }
  const s = state;
  if (!s) return { ok: true, pending: 0 };
  state = undefined;
  teardown(s);
  resetIdentity();
  try {
    return (await s.fanout.pipeline?.close(options)) ?? { ok: true, pending: 0 };
  } catch {
    return { ok: false, pending: s.fanout.pipeline?.stats().queued ?? 0 };
  }
}

/** Export counters of the running pipeline (zeros before the first span). */
export function stats(): ExportStats {
  return state?.fanout.pipeline?.stats() ?? { emitted: 0, exported: 0, queued: 0, dropped: {} };
}

