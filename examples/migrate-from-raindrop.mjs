// Raindrop JS (`raindrop-ai`) calls and their @bentolabs/sdk translation, one section per row of
// docs/migrate-from-raindrop.md. Set BENTOLABS_API_KEY (and BENTOLABS_BASE_URL) first.
import * as bento from "@bentolabs/sdk";

// Row 1. const raindrop = new Raindrop({ writeKey })
//        The key comes from BENTOLABS_API_KEY; init() is optional (shown here for the identity row).
// Row 2. raindrop.setUserDetails({ userId, traits }) / identify(...)
//        Identity is per span: a getter (or propagateAttributes per request); traits become properties.
let currentUser = { id: "user_42", plan: "pro" };
bento.init({ userId: () => currentUser.id });

// Row 3. raindrop.trackAi({ event, userId, convoId, model, input, output, properties })
const eventId = bento.trackAi({
  event: "row3_track_ai",
  convoId: "chat_99",
  model: "gpt-4o",
  provider: "openai",
  input: "Hi",
  output: "Hello!",
  properties: { plan: currentUser.plan },
});

// Row 4. const interaction = raindrop.begin({ eventId, event, userId, input, convoId })
//        interaction.setProperty(k, v) / setProperties({...}); interaction.finish({ output })
const interaction = bento.begin({ event: "row4_begin", convoId: "chat_99", input: "Plan a trip" });
interaction.update({ properties: { stage: "planning" } });
interaction.update({ properties: { destination: "Paris" } });

// Row 5. interaction.trackTool({ name, input, output }) / withTool(...)
await interaction.toolSpan("row5_tool", { input: { city: "Paris" } }, async (tool) => tool.setOutput({ hotels: 3 }));
interaction.finish({ output: "Here is your plan." });

// Row 6. raindrop.trackSignal({ eventId, name: "thumbs_down", type: "feedback", comment })
//        No signal API: record feedback on the trajectory while it is open…
await bento.begin({ event: "row6_signal" }, async () => {
  bento.updateCurrentTrace({ properties: { "signal.thumbs_down": true, "signal.comment": "Off-topic" } });
});

// Row 7. trackAi({ ..., userId }) per call, for a request-scoped user
currentUser = { id: "user_7", plan: "free" };
bento.propagateAttributes({ userId: "user_from_request", sessionId: "chat_100" }, () => bento.trackAi({ event: "row7_scoped" }));

// Row 8. await raindrop.close()
const closed = await bento.shutdown();
console.log(`eventId: ${eventId}`);
console.log(`closed: ${closed.ok}`);
