import type { Context, Tracer } from "@opentelemetry/api";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { AlwaysOffSampler, BasicTracerProvider, type ReadableSpan, type Span, type SpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { MapSettings } from "./attributes/map.js";
import { DEFAULT_VALUE_LIMITS } from "./attributes/values.js";
import {
  assertSecureBaseUrl,
  type ConnectionOptions,
  type DeploymentOptions,
  ENV,
  type ResolvedOptions,
  resolveDeployment,
  resolveOptions,
} from "./config.js";
import { BentoAuthError, BentoConfigError } from "./errors.js";
import { createExportPipeline } from "./export/pipeline.js";
import type { ExportOptions, ExportPipeline, ExportStats, FlushResult } from "./export/types.js";
import { configureIdentity, type IdentityOptions, resetIdentity } from "./identity.js";
import { log, registerSecret } from "./log.js";
import { hostEnv } from "./platform/env.js";
import { platform } from "./platform/host.js";
import type { PrivacyOptions, SamplingOptions } from "./privacy/options.js";
import { createRedactor, type SpanRedactor } from "./privacy/redact.js";
import { envFlag, type ResolvedSampling, resolvePrivacy, resolveSampling } from "./privacy/resolve.js";
import { withSampling } from "./privacy/sampling.js";
import { configureVercelWaitUntil, handOffToWaitUntil } from "./serverless/wait-until.js";
import { spanSinks } from "./sinks.js";
import type { SpanTarget } from "./spans/bento-span.js";
import { VERSION } from "./version.js";

/** Options for {@link init}. Everything is optional; the environment fills the rest. */
export interface InitOptions extends ConnectionOptions, IdentityOptions, ExportOptions, PrivacyOptions, SamplingOptions, DeploymentOptions {
  /**
   * `false` turns tracing off: every call is a no-op that builds no span, starts no timer and adds
   * no exit hook, yet returns values of the right shape (ids, wrappers that call through). No API
   * key is needed then. Default: `BENTOLABS_ENABLED`, else true.
   */
  enabled?: boolean;
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
  /**
   * On Vercel, hand each finished trajectory's flush to the request's `waitUntil`, so spans are
   * delivered after the response without `await flush()`. Default true (or
   * `BENTOLABS_VERCEL_WAIT_UNTIL=false`). See docs/serverless.md.
   */
  vercelWaitUntil?: boolean;
}

const EXIT_FLUSH_TIMEOUT_MS = 2000;
const SIGNALS = ["SIGTERM", "SIGINT"] as const;

/** Fans span events out to the export pipeline and to any in-process sinks (test capture). */
class Fanout implements SpanProcessor {
  pipeline: ExportPipeline | undefined;
  /** Spans ended with nowhere to go: no pipeline (no API key) and no test capture. */
  unsent = 0;
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
    // A root span ended (a trajectory, or a lone LLM/tool span): on a serverless platform with a
    // request-scoped waitUntil, keep the invocation alive until it is delivered.
    if (this.pipeline) {
      if (!span.parentSpanContext) handOffToWaitUntil();
    } else if (this.sinks.size === 0) this.unsent++; // no API key and no test capture: it goes nowhere
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
  /** False after `init({ enabled: false })` / `BENTOLABS_ENABLED=false`: span calls return at once. */
  readonly enabled: boolean;
  readonly provider: BasicTracerProvider;
  readonly tracer: Tracer;
  readonly fanout: Fanout;
  /** Where Bento's own spans go (see spans/bento-span.ts): the provider's processor and resource. */
  readonly spanTarget: SpanTarget;
  readonly settings: MapSettings;
  readonly resolved: ResolvedOptions | undefined;
  /** The export-time redactor; replaceable by a later `init()` with the same key. */
  readonly privacy: { redact: SpanRedactor | undefined };
  readonly removeExitHook: () => void;
  readonly signalHandlers: ReadonlyArray<[NodeJS.Signals, () => void]>;
}

let state: State | undefined;
const sinks = spanSinks();
const shutdownHooks = new Set<() => void>();

/** @internal Run `hook` on every `shutdown()` (e.g. disable auto-enabled instrumentations). */
export function onShutdown(hook: () => void): void {
  shutdownHooks.add(hook);
}

/** Everything `init()` validates up front, so that a bad option changes nothing. */
interface Prepared {
  readonly redact: SpanRedactor | undefined;
  readonly sampling: ResolvedSampling;
  readonly deployment: Record<string, string>;
}

function prepare(options: InitOptions): Prepared {
  return { redact: createRedactor(resolvePrivacy(options)), sampling: resolveSampling(options), deployment: resolveDeployment(options) };
}

function build(options: InitOptions, resolved: ResolvedOptions | undefined, prepared: Prepared): State {
  const fanout = new Fanout();
  const privacy = { redact: prepared.redact };
  if (resolved) {
    registerSecret(resolved.apiKey);
    // Redaction runs in the export worker (exporter.ts), never on the caller's path.
    const redact = (span: ReadableSpan) => (privacy.redact ? privacy.redact(span) : span);
    fanout.pipeline = withSampling(createExportPipeline({ ...options, ...resolved, redact }), prepared.sampling);
  }
  const serviceName = options.serviceName ?? hostEnv().OTEL_SERVICE_NAME ?? "bento-agent";
  configureVercelWaitUntil(options.vercelWaitUntil);
  const resource = resourceFromAttributes({
    "service.name": serviceName,
    ...prepared.deployment,
    "telemetry.sdk.name": "@bentolabs/sdk",
    "telemetry.sdk.version": VERSION,
  });
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
  const removeExitHook = resolved ? platform.onBeforeExit(onBeforeExit) : () => {};
  const signalHandlers = resolved && options.flushOnSignals === true && platform.name === "node" ? installSignalHandlers(exitMs) : [];
  return {
    enabled: true,
    provider,
    tracer: provider.getTracer("@bentolabs/sdk", VERSION),
    fanout,
    spanTarget: {
      processor: fanout,
      resource,
      scope: { name: "@bentolabs/sdk", version: VERSION, schemaUrl: undefined },
      attributeCountLimit,
    },
    settings: { portable: options.portableAttributes ?? true, limits: DEFAULT_VALUE_LIMITS },
    resolved,
    privacy,
    removeExitHook,
    signalHandlers,
  };
}

/** Tracing off: a provider that samples nothing, no pipeline, no timer, no exit hook. */
function buildDisabled(): State {
  const provider = new BasicTracerProvider({ sampler: new AlwaysOffSampler() });
  const fanout = new Fanout();
  return {
    enabled: false,
    provider,
    tracer: provider.getTracer("@bentolabs/sdk", VERSION),
    fanout,
    spanTarget: {
      processor: fanout,
      resource: resourceFromAttributes({}),
      scope: { name: "@bentolabs/sdk", version: VERSION, schemaUrl: undefined },
      attributeCountLimit: 0,
    },
    settings: { portable: true, limits: DEFAULT_VALUE_LIMITS },
    resolved: undefined,
    privacy: { redact: undefined },
    removeExitHook: () => {},
    signalHandlers: [],
  };
}

function isEnabled(options: InitOptions): boolean {
  if (options.enabled !== undefined && typeof options.enabled !== "boolean") {
    throw new BentoConfigError("invalid_option", `enabled must be true or false; got ${JSON.stringify(options.enabled)}.`);
  }
  return options.enabled ?? envFlag(hostEnv(), ENV.enabled) ?? true;
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
  if (!isEnabled(options)) {
    // No key needed and none checked. A running pipeline is closed in the background (it delivers what it holds).
    if (state?.enabled === false) return;
    if (state) {
      teardown(state);
      void state.fanout.pipeline?.close();
    }
    state = buildDisabled();
    return;
  }
  // Every check first: a call that throws changes nothing (SPEC.md §5a).
  const resolved = resolveOptions(options);
  assertSecureBaseUrl(resolved.baseUrl, options.allowInsecureHttp);
  const prepared = prepare(options);
  if (state?.resolved && (state.resolved.apiKey !== resolved.apiKey || state.resolved.baseUrl !== resolved.baseUrl)) {
    throw new BentoAuthError(
      "already_initialized",
      "Bento is already initialized with a different API key or base URL. Call `await bento.shutdown()` before init() to rotate.",
    );
  }
  configureIdentity(options);
  if (state?.resolved) {
    if ("redact" in options || "redaction" in options || "captureContent" in options) state.privacy.redact = prepared.redact;
    if (["sampleRate", "keep", "maxBufferedSpans", "environment", "release"].some((k) => k in options)) {
      log.warnOnce(
        "reinit_fixed",
        "sampleRate, keep, maxBufferedSpans, environment and release take effect at the first init(); call `await bento.shutdown()` before init() to change them.",
      );
    }
    if (options.vercelWaitUntil !== undefined) configureVercelWaitUntil(options.vercelWaitUntil);
    if (options.portableAttributes === undefined) return;
    state = { ...state, settings: { ...state.settings, portable: options.portableAttributes } };
    return;
  }
  if (state) teardown(state);
  state = build(options, resolved, prepared);
}

/**
 * @internal Initialize from the environment now if tracing is not yet configured, e.g. once a
 * Worker's `env` supplied the API key after an earlier lazy start found none. Never throws.
 */
export function initFromEnvironment(): void {
  if (state?.resolved || state?.enabled === false) return;
  try {
    const resolved = resolveOptions();
    if (state) teardown(state);
    state = build({}, resolved, prepare({}));
  } catch (err) {
    if (sinks.size === 0) log.warnOnce("lazy_init", `Tracing is disabled: ${(err as Error).message}`);
  }
}

/** The running state, initialized lazily from the environment. Never throws. */
export function runtime(): State {
  if (state) return state;
  if (envFlag(hostEnv(), ENV.enabled) === false) return (state = buildDisabled());
  let resolved: ResolvedOptions | undefined;
  try {
    // A plain http:// remote URL is not an error here: the pipeline refuses to send (one warning
    // naming both fixes), counts the spans as dropped (insecure_http) and flush() is not ok.
    resolved = resolveOptions();
  } catch (err) {
    // With a test capture active, keyless tracing is intended: spans go to the capture only.
    if (sinks.size === 0) log.warnOnce("lazy_init", `Tracing is disabled: ${(err as Error).message}`);
  }
  // From the environment only, which never throws (bad values warn and fail closed).
  state = build({}, resolved, prepare({}));
  return state;
}

function teardown(s: State): void {
  s.removeExitHook();
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
  // without an API key nothing is sent: any span ended so far was dropped (stats: not_configured)
  if (!pipeline) return { ok: (state?.fanout.unsent ?? 0) === 0, pending: 0 };
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
    return (await s.fanout.pipeline?.close(options)) ?? { ok: s.fanout.unsent === 0, pending: 0 };
  } catch {
    return { ok: false, pending: s.fanout.pipeline?.stats().queued ?? 0 };
  }
}

/** Export counters of the running pipeline (zeros before the first span). */
export function stats(): ExportStats {
  if (state?.fanout.pipeline) return state.fanout.pipeline.stats();
  const unsent = state?.fanout.unsent ?? 0;
  return { emitted: unsent, exported: 0, queued: 0, dropped: unsent > 0 ? { not_configured: unsent } : {} };
}
