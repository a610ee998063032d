import { describe, expect, it } from "vitest";
import { toConversation } from "../../src/dev/conversation.js";

const span = (input: unknown, output: unknown = null, attributes: Record<string, unknown> = {}) => ({
  input: input === null ? null : typeof input === "string" ? input : JSON.stringify(input),
  output: output === null ? null : typeof output === "string" ? output : JSON.stringify(output),
  attributes,
});

describe("chat messages in spans", () => {
  it("reads OpenAI chat messages with tool calls and tool results, and a completion", () => {
    const c = toConversation(
      span(
        {
          model: "gpt-4o",
          messages: [
            { role: "system", content: "Be brief." },
            { role: "user", content: [{ type: "text", text: "Weather in Paris?" }] },
            {
              role: "assistant",
              content: null,
              tool_calls: [{ id: "call_1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } }],
            },
            { role: "tool", tool_call_id: "call_1", content: "18°C" },
          ],
        },
        { choices: [{ message: { role: "assistant", content: "18°C and sunny." } }] },
      ),
    )!;
    expect(c.input).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Weather in Paris?" },
      { role: "assistant", content: null, tool_calls: [{ id: "call_1", name: "weather", arguments: '{"city":"Paris"}' }] },
      { role: "tool", content: "18°C", tool_call_id: "call_1" },
    ]);
    expect(c.output).toEqual([{ role: "assistant", content: "18°C and sunny." }]);
  });

  it("reads Anthropic system, tool_use and tool_result blocks", () => {
    const c = toConversation(
      span(
        {
          system: "Be brief.",
          messages: [
            { role: "user", content: "Weather?" },
            {
              role: "assistant",
              content: [
                { type: "text", text: "Checking." },
                { type: "tool_use", id: "tu_1", name: "weather", input: { city: "Paris" } },
              ],
            },
            { role: "user", content: [{ type: "tool_result", tool_use_id: "tu_1", content: [{ type: "text", text: "18°C" }] }] },
          ],
        },
        { type: "message", role: "assistant", content: [{ type: "text", text: "Sunny." }] },
      ),
    )!;
    expect(c.input).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Weather?" },
      { role: "assistant", content: "Checking.", tool_calls: [{ id: "tu_1", name: "weather", arguments: '{"city":"Paris"}' }] },
      { role: "tool", content: "18°C", tool_call_id: "tu_1" },
    ]);
    expect(c.output).toEqual([{ role: "assistant", content: "Sunny." }]);
  });

  it("reads OpenInference llm.input_messages / llm.output_messages attributes", () => {
    const c = toConversation(
      span(null, null, {
        "llm.input_messages.0.message.role": "user",
        "llm.input_messages.0.message.contents.0.message_content.text": "Hi",
        "llm.input_messages.1.message.role": "assistant",
        "llm.input_messages.1.message.tool_calls.0.tool_call.id": "c1",
        "llm.input_messages.1.message.tool_calls.0.tool_call.function.name": "lookup",
        "llm.input_messages.1.message.tool_calls.0.tool_call.function.arguments": '{"q":1}',
        "llm.output_messages.0.message.role": "assistant",
        "llm.output_messages.0.message.content": "Done",
      }),
    )!;
    expect(c.input).toEqual([
      { role: "user", content: "Hi" },
      { role: "assistant", content: null, tool_calls: [{ id: "c1", name: "lookup", arguments: '{"q":1}' }] },
    ]);
    expect(c.output).toEqual([{ role: "assistant", content: "Done" }]);
  });

  it("treats a plain-text output of a chat as the assistant's reply and ignores non-chat input", () => {
    expect(toConversation(span([{ role: "user", content: "Hi" }], "Hello!"))!.output).toEqual([{ role: "assistant", content: "Hello!" }]);
    expect(toConversation(span({ question: "Where is my order?" }, "tomorrow"))).toBeNull();
    expect(toConversation(span("just text", "more text"))).toBeNull();
  });
});
