// A tiny OpenAI-compatible server on 127.0.0.1 (POST /v1/chat/completions and /v1/responses), for the examples and
// tests: no network, deterministic answers. Replies "Echo: <last user message>", counts tokens as
// words, and streams Server-Sent Events when `stream: true` (with a final usage chunk when
// `stream_options.include_usage` is set). A last user message containing "[cut the stream]" gets a
// stream whose connection is destroyed after two chunks, for fault tests.
import { createServer } from "node:http";

const words = (text) =>
  String(text ?? "")
    .split(/\s+/)
    .filter(Boolean).length;
const contentOf = (m) => (typeof m.content === "string" ? m.content : (m.content ?? []).map((p) => p.text ?? "").join(" "));

function answer(body) {
  const messages = body.messages ?? [];
  const last = [...messages].reverse().find((m) => m.role === "user");
  const content = `Echo: ${last ? contentOf(last) : ""}`;
  const prompt = messages.reduce((n, m) => n + words(contentOf(m)), 0);
  const completion = words(content);
  return { content, usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion } };
}

function completion(body, id) {
  const { content, usage } = answer(body);
  return {
    id,
    object: "chat.completion",
    created: 1700000000,
    model: body.model,
    choices: [{ index: 0, message: { role: "assistant", content, refusal: null }, logprobs: null, finish_reason: "stop" }],
    usage,
  };
}

function* chunks(body, id) {
  const { content, usage } = answer(body);
  const base = { id, object: "chat.completion.chunk", created: 1700000000, model: body.model };
  const includeUsage = body.stream_options?.include_usage === true;
  const extra = includeUsage ? { usage: null } : {};
  yield { ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }], ...extra };
  for (const piece of content.split(/(?<= )/))
    yield { ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }], ...extra };
  yield { ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }], ...extra };
  if (includeUsage) yield { ...base, choices: [], usage };
}

/** The Responses API: `input` is a string or a list of messages; same echo and word counts. */
function responseOf(body, id, status = "completed") {
  const input = typeof body.input === "string" ? [{ role: "user", content: body.input }] : (body.input ?? []);
  const { content, usage } = answer({ messages: input });
  return {
    id,
    object: "response",
    created_at: 1700000000,
    status,
    model: body.model,
    output:
      status === "completed"
        ? [
            {
              type: "message",
              id: `msg_${id}`,
              status: "completed",
              role: "assistant",
              content: [{ type: "output_text", text: content, annotations: [] }],
            },
          ]
        : [],
    usage:
      status === "completed"
        ? {
            input_tokens: usage.prompt_tokens,
            output_tokens: usage.completion_tokens,
            total_tokens: usage.total_tokens,
            input_tokens_details: { cached_tokens: 0 },
            output_tokens_details: { reasoning_tokens: 0 },
          }
        : null,
  };
}

function* responseEvents(body, id) {
  const done = responseOf(body, id);
  const text = done.output[0].content[0].text;
  let n = 0;
  yield { type: "response.created", sequence_number: n++, response: responseOf(body, id, "in_progress") };
  for (const delta of text.split(/(?<= )/)) {
    yield { type: "response.output_text.delta", sequence_number: n++, item_id: `msg_${id}`, output_index: 0, content_index: 0, delta };
  }
  yield { type: "response.completed", sequence_number: n++, response: done };
}

/** Start the server; resolves to `{ url, baseURL, requests, close }` (`baseURL` ends in /v1). */
export async function startFakeOpenAI() {
  const requests = [];
  let n = 0;
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const responses = req.url === "/v1/responses";
      if (req.method !== "POST" || (req.url !== "/v1/chat/completions" && !responses)) {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "not found" } }));
        return;
      }
      const body = JSON.parse(raw || "{}");
      requests.push(body);
      const id = responses ? `resp_${++n}` : `chatcmpl-${++n}`;
      if (!body.stream) {
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify(responses ? responseOf(body, id) : completion(body, id)));
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      const events = [...(responses ? responseEvents(body, id) : chunks(body, id))];
      if (JSON.stringify(body.messages ?? body.input ?? []).includes("[cut the stream]")) {
        for (const event of events.slice(0, 2)) res.write(`data: ${JSON.stringify(event)}\n\n`);
        setTimeout(() => res.destroy(), 10);
        return;
      }
      for (const event of events) res.write(`data: ${JSON.stringify(event)}\n\n`);
      res.end("data: [DONE]\n\n");
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    baseURL: `${url}/v1`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
