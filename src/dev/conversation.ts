/**
 * Chat messages found in a span, in one shape for the viewer: OpenAI (chat completions and
 * Responses), Anthropic (messages, content blocks, tool_use / tool_result) and OpenInference
 * `llm.input_messages.*` / `llm.output_messages.*` attributes. Pure; unknown shapes give null.
 */
export interface ToolCall {
  id: string | null;
  name: string;
  arguments: string;
}

export interface Message {
  role: string;
  content: string | null;
  tool_calls?: ToolCall[];
  /** On a tool result: the call it answers. */
  tool_call_id?: string;
  name?: string;
}

export interface Conversation {
  input: Message[];
  output: Message[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v ?? null));

function parse(text: string | null): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Text of a content value: a string, or OpenAI parts / Anthropic blocks (non-text parts as `[type]`). */
function textOf(content: unknown): string | null {
  if (content === null || content === undefined) return null;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return str(content);
  const parts = content
    .filter((p) => !(isObj(p) && (p.type === "tool_use" || p.type === "tool_result")))
    .map((p) =>
      typeof p === "string" ? p : isObj(p) && typeof p.text === "string" ? p.text : isObj(p) ? `[${String(p.type ?? "part")}]` : str(p),
    );
  return parts.length ? parts.join("\n") : null;
}

/** One provider message → one or more messages (Anthropic tool_result blocks become tool messages). */
function fromMessage(m: Obj): Message[] {
  if (m.type === "function_call") {
    return [
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: (m.call_id as string) ?? null, name: str(m.name), arguments: str(m.arguments) }],
      },
    ];
  }
  if (m.type === "function_call_output") return [{ role: "tool", content: str(m.output), tool_call_id: str(m.call_id) }];
  const out: Message = { role: typeof m.role === "string" ? m.role : "assistant", content: textOf(m.content) };
  const calls: ToolCall[] = [];
  const results: Message[] = [];
  if (Array.isArray(m.tool_calls)) {
    for (const c of m.tool_calls.filter(isObj)) {
      const fn = isObj(c.function) ? c.function : c;
      calls.push({ id: typeof c.id === "string" ? c.id : null, name: str(fn.name), arguments: str(fn.arguments) });
    }
  }
  if (Array.isArray(m.content)) {
    for (const b of m.content.filter(isObj)) {
      if (b.type === "tool_use")
        calls.push({ id: typeof b.id === "string" ? b.id : null, name: str(b.name), arguments: JSON.stringify(b.input ?? {}) });
      if (b.type === "tool_result") results.push({ role: "tool", content: textOf(b.content), tool_call_id: str(b.tool_use_id) });
    }
  }
  if (calls.length) out.tool_calls = calls;
  if (typeof m.tool_call_id === "string") out.tool_call_id = m.tool_call_id;
  if (typeof m.name === "string") out.name = m.name;
  return out.content === null && !calls.length && results.length ? results : [out, ...results];
}

const looksLikeMessage = (v: unknown) =>
  isObj(v) && (typeof v.role === "string" || v.type === "function_call" || v.type === "function_call_output");

/** Messages in a parsed input or output value, or undefined when it holds none. */
function messagesIn(v: unknown): Message[] | undefined {
  if (Array.isArray(v) && v.length > 0 && v.every(looksLikeMessage)) return v.flatMap((m) => fromMessage(m as Obj));
  if (!isObj(v)) return undefined;
  if (Array.isArray(v.messages)) {
    const system = v.system === undefined ? [] : [{ role: "system", content: textOf(v.system) }];
    const rest = messagesIn(v.messages);
    return rest ? [...system, ...rest] : undefined;
  }
  if (Array.isArray(v.choices)) {
    const msgs = v.choices
      .filter(isObj)
      .map((c) => c.message)
      .filter(isObj);
    return msgs.length ? msgs.flatMap(fromMessage) : undefined;
  }
  if (Array.isArray(v.output)) return messagesIn(v.output);
  if (Array.isArray(v.input)) return messagesIn(v.input);
  if (looksLikeMessage(v) || (v.type === "message" && Array.isArray(v.content))) return fromMessage(v);
  return undefined;
}

/** `llm.input_messages.0.message.role` … flattened OpenInference attributes → messages. */
function fromOpenInference(attrs: Obj, prefix: string): Message[] | undefined {
  const byIndex = new Map<number, Obj>();
  const head = `${prefix}.`;
  for (const [key, value] of Object.entries(attrs)) {
    if (!key.startsWith(head)) continue;
    const m = /^(\d+)\.message\.(.+)$/.exec(key.slice(head.length));
    if (!m) continue;
    const msg = byIndex.get(Number(m[1])) ?? {};
    msg[m[2]!] = value;
    byIndex.set(Number(m[1]), msg);
  }
  if (byIndex.size === 0) return undefined;
  return [...byIndex.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, f]) => {
      const pick = (re: RegExp) =>
        Object.keys(f)
          .map((k) => re.exec(k))
          .filter((x): x is RegExpExecArray => x !== null);
      const texts = pick(/^contents\.(\d+)\.message_content\.text$/)
        .sort((a, b) => Number(a[1]) - Number(b[1]))
        .map((x) => str(f[x[0]]));
      const callIdx = [...new Set(pick(/^tool_calls\.(\d+)\.tool_call\./).map((x) => Number(x[1])))].sort((a, b) => a - b);
      const out: Message = {
        role: typeof f.role === "string" ? f.role : "unknown",
        content: f.content !== undefined ? str(f.content) : texts.length ? texts.join("\n") : null,
      };
      const calls = callIdx.map((i) => {
        const at = (k: string) => f[`tool_calls.${i}.tool_call.${k}`];
        return {
          id: typeof at("id") === "string" ? (at("id") as string) : null,
          name: str(at("function.name")),
          arguments: str(at("function.arguments") ?? "{}"),
        };
      });
      if (calls.length) out.tool_calls = calls;
      if (typeof f.tool_call_id === "string") out.tool_call_id = f.tool_call_id;
      if (typeof f.name === "string") out.name = f.name;
      return out;
    });
}

/**
 * The conversation a span carries, or null when its input holds no chat messages.
 *
 * @example
 * toConversation({ input: '[{"role":"user","content":"hi"}]', output: "hello", attributes: {} });
 * // { input: [{ role: "user", content: "hi" }], output: [{ role: "assistant", content: "hello" }] }
 */
export function toConversation(span: { input: string | null; output: string | null; attributes: Obj }): Conversation | null {
  const input = fromOpenInference(span.attributes, "llm.input_messages") ?? messagesIn(parse(span.input));
  if (!input) return null;
  const parsedOut = parse(span.output);
  const output =
    fromOpenInference(span.attributes, "llm.output_messages") ??
    messagesIn(parsedOut) ??
    (span.output
      ? [{ role: "assistant", content: typeof parsedOut === "string" || parsedOut === undefined ? span.output : str(parsedOut) }]
      : []);
  return { input, output };
}
