/**
 * @bentolabs/sdk — instrument AI agents with OpenTelemetry spans Bento's dashboard reads.
 * The whole public surface is listed here.
 */
export { init, flush, shutdown, stats } from "./runtime.js";
export type { InitOptions } from "./runtime.js";
export { resolveOptions } from "./config.js";
export type { ResolvedOptions, ConnectionOptions, DeploymentOptions } from "./config.js";
export type { PrivacyOptions, RedactHook, RedactContext, RedactionOptions, RedactionMode, SamplingOptions, SampledRun } from "./privacy/options.js";
export type { DetectorName } from "./privacy/detectors.js";
export { BentoAuthError, BentoConfigError } from "./errors.js";
export type { BentoAuthErrorCode, BentoConfigErrorCode } from "./errors.js";
export type { IdentityOptions, IdentitySource } from "./identity.js";
export type { IdentityScope } from "./context.js";
export type { Usage } from "./attributes/map.js";
export { trackAi } from "./spans/track-ai.js";
export type { AiOptions, TrackAiOptions } from "./spans/track-ai.js";
export { begin, Interaction } from "./spans/interaction.js";
export type { BeginOptions, InteractionUpdate, FinishOptions } from "./spans/interaction.js";
export { toolSpan, ToolSpan } from "./spans/tool-span.js";
export type { ToolSpanOptions } from "./spans/tool-span.js";
export { updateCurrentTrace, updateCurrentSpan, propagateAttributes } from "./spans/scope.js";
export type { TraceUpdate } from "./spans/scope.js";
export { interaction } from "./wrap/interaction.js";
export { tool } from "./wrap/tool.js";
export type { InteractionOptions, ToolOptions, BentoMethodDecorator } from "./wrap/options.js";
export type { DropReason, ExportOptions, ExportStats, FlushResult } from "./export/types.js";
export { BentoLabsSpanProcessor, BentoLabsTraceExporter, BentoSpanProcessor, BentoTraceExporter } from "./export/bento-processor.js";
export type { BentoProcessorOptions } from "./export/bento-processor.js";
export { getTracerProvider } from "./otel/tracer-provider.js";
export { instrument, uninstrument } from "./otel/instrument.js";
export type { InstrumentationLike } from "./otel/instrument.js";
export { VERSION, SDK_VERSION } from "./version.js";
