// Langfuse JS (v4 / v5) calls and their @bentolabs/sdk translation, one section per row of
// docs/migrate-from-langfuse.md. Set BENTOLABS_API_KEY (and BENTOLABS_BASE_URL) first.
import * as bento from "@bentolabs/sdk";
import { trace } from "@opentelemetry/api";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";

// Row 1. new NodeSDK({ spanProcessors: [new LangfuseSpanProcessor()] })
const provider = new NodeTracerProvider({ spanProcessors: [new bento.BentoLabsSpanProcessor()] });
provider
  .getTracer("my-app")
  .startSpan("row1_app_span", { attributes: { "llm.model_name": "gpt-4o" } })
  .end();

// Row 2. propagateAttributes({ userId, sessionId, tags }, fn)   (v5; v4: updateActiveTrace)
await bento.propagateAttributes({ userId: "user_42", sessionId: "chat_99", tags: ["migrated"] }, async () => {
  // Row 3. startActiveObservation("agent", async (span) => { span.update({ input, output }) })
  await bento.begin({ event: "row3_agent", input: "What is the capital of France?" }, async (agent) => {
    // Row 4. startObservation("llm", { model, input }, { asType: "generation" })
    //          .update({ output, usageDetails: { input: 12, output: 3 } }).end()
    bento.trackAi({
      event: "row4_generation",
      model: "gpt-4o",
      provider: "openai",
      input: "What is the capital of France?",
      output: "Paris.",
      usage: { inputTokens: 12, outputTokens: 3 },
    });

    // Row 5. startActiveObservation("search", fn, { asType: "tool" })
    await bento.toolSpan("row5_tool", { input: { query: "France" } }, async (tool) => tool.setOutput(["Paris"]));

    // Row 6. observe(fn, { name: "lookup", asType: "tool" })   and   observe(fn) (a span)
    const lookup = bento.tool(function row6_lookup(city) {
      return `${city} is in France`;
    });
    lookup("Paris");

    // Row 7. updateActiveObservation({ metadata: { step: 2 } })
    bento.updateCurrentSpan({ properties: { step: 2 } });

    // Row 8. updateActiveTrace({ userId, sessionId, tags, metadata })   (v4)
    bento.updateCurrentTrace({ tags: ["migrated", "trace-update"], properties: { plan: "pro" } });

    // Row 9. langfuse.score.activeTrace({ name: "correctness", value: 0.9 })
    //        No score API: record it on the trajectory while it is open.
    bento.updateCurrentTrace({ properties: { "score.correctness": 0.9 } });

    agent.finish({ output: "Paris." });
  });
});

// Row 10. await langfuseSpanProcessor.forceFlush() / await sdk.shutdown()
const flushed = await bento.flush();
await provider.forceFlush();
await provider.shutdown();
trace.disable();
console.log(`flushed: ${flushed.ok}`);
