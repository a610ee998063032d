/**
 * `@bentolabs/sdk/dev`: the local Bento-compatible server (OTLP/HTTP JSON ingest, read API and
 * trace viewer) that `bentolabs dev` runs, for programs and tests that want it in-process.
 */

export type { Footprint } from "./footprint.js";
export type { RetentionPolicy } from "./retention.js";
export { DEFAULT_RETENTION, describeRetention, parseRetention, RetentionSyntaxError } from "./retention.js";
export type { DevServer, DevServerOptions } from "./server.js";
export { startDevServer } from "./server.js";
export type { TraceDetail } from "./store/read-traces.js";
export type { Span, TraceSummary } from "./store/rows.js";
export type { SpanNode } from "./tree.js";
export { buildSpanTree, renderSpanTree } from "./tree.js";
