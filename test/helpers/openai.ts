import type OpenAI from "openai";

/** A streamed chat completion that asks for usage, read to the end; resolves to the joined text. */
export async function streamChat(client: OpenAI, content: string): Promise<string> {
  const stream = await client.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = "";
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
  return text;
}
