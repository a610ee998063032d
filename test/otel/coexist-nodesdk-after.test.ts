import { NodeSDK } from "@opentelemetry/sdk-node";
import { SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { coexistenceSuite } from "./coexist.js";

// Only traces: keep NodeSDK from wiring metrics/logs exporters from the environment.
process.env.OTEL_METRICS_EXPORTER = "none";
process.env.OTEL_LOGS_EXPORTER = "none";
// NodeSDK replaces the diag logger when OTEL_LOG_LEVEL is set; keep ours to see its errors.
delete process.env.OTEL_LOG_LEVEL;

coexistenceSuite("NodeSDK.start() after the SDK was used", {
  order: "sdk-first",
  async register(exporter) {
    const sdk = new NodeSDK({ spanProcessors: [new SimpleSpanProcessor(exporter)], instrumentations: [], autoDetectResources: false });
    sdk.start();
    return () => sdk.shutdown();
  },
});
