// A tiny Anthropic-compatible server on 127.0.0.1 (POST /v1/messages), for tests: no network,
// deterministic answers. Replies "Echo: <last user text>" and counts tokens as words: input_tokens
// = the words of the user messages, output_tokens = the words of the answer. With `stream: true`
// it sends the Messages API's Server-Sent Events (message_start, content_block_start, ping,
// content_block_delta text_delta pieces, content_block_stop, message_delta, message_stop), each
// with its `event:` line, as the real API does. An unknown model (not `claude-…`) gets the API's
// 404 `not_found_error`. A user message containing "[cut the stream]" gets a stream whose connection
// is destroyed after three events, for fault tests.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

type ContentPart = { type?: string; text?: string };
type MessageParam = { role?: string; content?: string | ContentPart[] };
export interface MessagesRequestBody {
  model?: string;
  max_tokens?: number;
  messages?: MessageParam[];
  stream?: boolean;
  [key: string]: unknown;
}

/** A Messages API event as sent on the wire: its `event:` name and its `data:` JSON. */
export interface SentEvent {
  event: string;
  data: { type: string; [key: string]: unknown };
}

export interface FakeAnthropic {
  /** Pass as the client's `baseURL` (the SDK appends /v1/messages). */
  baseURL: string;
  /** Every request body, in order. */
  requests: MessagesRequestBody[];
  /** Every request's headers, in order. */
  headers: IncomingHttpHeaders[];
  /** What each request got: the Message JSON, or the events of the stream (pings included). */
  responses: Array<unknown | SentEvent[]>;
  close(): Promise<void>;
}

const words = (text: string): number => text.split(/\s+/).filter(Boolean).length;
const textOf = (m: MessageParam): string =>
  typeof m.content === "string" ? m.content : (m.content ?? []).map((p) => (p.type === "text" ? (p.text ?? "") : "")).join(" ");

function answer(body: MessagesRequestBody): { text: string; inputTokens: number; outputTokens: number } {
  const user = (body.messages ?? []).filter((m) => m.role === "user");
  const text = `Echo: ${user.length ? textOf(user[user.length - 1]!) : ""}`;
  return { text, inputTokens: user.reduce((n, m) => n + words(textOf(m)), 0), outputTokens: words(text) };
}

function usage(input: number, output: number): Record<string, unknown> {
  return {
    input_tokens: input,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    output_tokens: output,
    service_tier: "standard",
  };
}

function message(body: MessagesRequestBody, id: string): Record<string, unknown> {
  const { text, inputTokens, outputTokens } = answer(body);
  return {
    id,
    type: "message",
    role: "assistant",
    model: body.model,
    content: [{ type: "text", text }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: usage(inputTokens, outputTokens),
  };
}

function events(body: MessagesRequestBody, id: string): SentEvent[] {
  const { text, inputTokens, outputTokens } = answer(body);
  // As the real API does, message_start carries the input count and a small running output count;
  // the final output count comes in message_delta.
  const start = {
    id,
    type: "message",
    role: "assistant",
    model: body.model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: usage(inputTokens, 1),
  };
  const e = (event: string, data: Record<string, unknown>): SentEvent => ({ event, data: { type: event, ...data } });
  return [
    e("message_start", { message: start }),
    e("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
    e("ping", {}),
    ...text.split(/(?<= )/).map((piece) => e("content_block_delta", { index: 0, delta: { type: "text_delta", text: piece } })),
    e("content_block_stop", { index: 0 }),
    e("message_delta", {
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { input_tokens: inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: outputTokens },
    }),
    e("message_stop", {}),
  ];
}

/** Start the server on an ephemeral port. */
export async function startFakeAnthropic(): Promise<FakeAnthropic> {
  const requests: MessagesRequestBody[] = [];
  const headers: IncomingHttpHeaders[] = [];
  const responses: Array<unknown | SentEvent[]> = [];
  let n = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const requestId = `req_fake${String(++n).padStart(4, "0")}`;
      const json = (status: number, payload: unknown): void => {
        res.writeHead(status, { "content-type": "application/json", "request-id": requestId }).end(JSON.stringify(payload));
      };
      const error = (status: number, type: string, msg: string): void =>
        json(status, { type: "error", error: { type, message: msg }, request_id: requestId });
      if (req.method !== "POST" || req.url?.split("?")[0] !== "/v1/messages") return error(404, "not_found_error", "Not Found");
      let body: MessagesRequestBody;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as MessagesRequestBody;
      } catch {
        return error(400, "invalid_request_error", "Request body is not valid JSON");
      }
      requests.push(body);
      headers.push(req.headers);
      if (!String(body.model).startsWith("claude-")) {
        responses.push(undefined);
        return error(404, "not_found_error", `model: ${String(body.model)}`);
      }
      const id = `msg_fake${String(n).padStart(4, "0")}`;
      if (!body.stream) {
        const m = message(body, id);
        responses.push(m);
        return json(200, m);
      }
      const sent = events(body, id);
      responses.push(sent);
      res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", "request-id": requestId });
      const cut = JSON.stringify(body.messages ?? []).includes("[cut the stream]");
      for (const { event, data } of cut ? sent.slice(0, 3) : sent) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      if (cut) setTimeout(() => res.destroy(), 10);
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseURL,
    requests,
    headers,
    responses,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
