/**
 * @bentolabs/sdk — instrument AI agents with OpenTelemetry spans Bento's dashboard reads.
 * The whole public surface is listed here.
 */

export type { Usage } from "./attributes/map.js";
export type { ConnectionOptions, DeploymentOptions, ResolvedOptions } from "./config.js";
export { resolveOptions } from "./config.js";
export type { IdentityScope } from "./context.js";
export type { BentoAuthErrorCode, BentoConfigErrorCode } from "./errors.js";
export { BentoAuthError, BentoConfigError } from "./errors.js";
export type { BentoProcessorOptions } from "./export/bento-processor.js";
export { BentoLabsSpanProcessor, BentoLabsTraceExporter, BentoSpanProcessor, BentoTraceExporter } from "./export/bento-processor.js";
export type { DropReason, ExportOptions, ExportStats, FlushResult } from "./export/types.js";
export type { IdentityOptions, IdentitySource } from "./identity.js";
export type { InstrumentationLike } from "./otel/instrument.js";
export { instrument, uninstrument } from "./otel/instrument.js";
export { getTracerProvider } from "./otel/tracer-provider.js";
export type { DetectorName } from "./privacy/detectors.js";
export type {
  PrivacyOptions,
  RedactContext,
  RedactHook,
  RedactionMode,
  RedactionOptions,
  SampledRun,
  SamplingOptions,
} from "./privacy/options.js";
export type { InitOptions } from "./runtime.js";
export { flush, init, shutdown, stats } from "./runtime.js";
export type { LambdaContextLike, WrapHandlerOptions } from "./serverless/lambda.js";
export { LambdaTimeoutError, wrapHandler } from "./serverless/lambda.js";
export type { WorkerContext } from "./serverless/worker.js";
export { withWorker } from "./serverless/worker.js";
export type { BeginOptions, FinishOptions, InteractionUpdate } from "./spans/interaction.js";
export { begin, Interaction } from "./spans/interaction.js";
export type { TraceUpdate } from "./spans/scope.js";
export { propagateAttributes, updateCurrentSpan, updateCurrentTrace } from "./spans/scope.js";
export type { ToolSpanOptions } from "./spans/tool-span.js";
export { ToolSpan, toolSpan } from "./spans/tool-span.js";
export type { AiOptions, TrackAiOptions } from "./spans/track-ai.js";
export { trackAi } from "./spans/track-ai.js";
export { SDK_VERSION, VERSION } from "./version.js";
export { interaction } from "./wrap/interaction.js";
export type { BentoMethodDecorator, InteractionOptions, ToolOptions } from "./wrap/options.js";
export { tool } from "./wrap/tool.js";
