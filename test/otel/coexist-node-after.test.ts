import { NodeTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-node";
import { coexistenceSuite } from "./coexist.js";

coexistenceSuite("NodeTracerProvider.register() after the SDK was used", {
  order: "sdk-first",
  async register(exporter) {
    const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    provider.register();
    return () => provider.shutdown();
  },
});
