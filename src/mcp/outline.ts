/** Compact, token-frugal text renderings of runs and trajectories for coding agents. Pure. */

export interface OutlineSpan {
  span_id: string;
  parent_span_id: string | null;
  name: string;
  kind: string;
  status: string;
  status_message: string | null;
  start_unix_nano: string;
  duration_ms: number;
  model: string | null;
  input: string | null;
  output: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
}

/** `text` on one line, cut to `max` characters with the cut length said. */
export function clip(text: string | null | undefined, max: number): string | null {
  if (text === null || text === undefined) return null;
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}… (+${flat.length - max} chars)` : flat;
}

export function ms(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(1)} ms`;
}

/** One line per span, depth-first in start order, children indented under their parent. */
export function outlineLines(spans: readonly OutlineSpan[], maxChars: number): string[] {
  const ids = new Set(spans.map((s) => s.span_id));
  const children = new Map<string | null, OutlineSpan[]>();
  for (const s of spans) {
    const parent = s.parent_span_id !== null && ids.has(s.parent_span_id) ? s.parent_span_id : null;
    const list = children.get(parent) ?? [];
    list.push(s);
    children.set(parent, list);
  }
  for (const list of children.values()) {
    list.sort((a, b) =>
      BigInt(a.start_unix_nano) < BigInt(b.start_unix_nano)
        ? -1
        : BigInt(a.start_unix_nano) > BigInt(b.start_unix_nano)
          ? 1
          : a.span_id < b.span_id
            ? -1
            : 1,
    );
  }
  const lines: string[] = [];
  const stack: Array<{ span: OutlineSpan; depth: number }> = (children.get(null) ?? []).map((span) => ({ span, depth: 0 })).reverse();
  while (stack.length > 0) {
    const { span: s, depth } = stack.pop()!;
    const parts = [`${"  ".repeat(depth)}- ${s.name} [${s.kind}] ${ms(s.duration_ms)}`];
    if (s.model) parts.push(s.model);
    if (s.input_tokens !== null || s.output_tokens !== null) parts.push(`tokens ${s.input_tokens ?? 0}→${s.output_tokens ?? 0}`);
    if (s.status === "error") parts.push(`ERROR${s.status_message ? `: ${clip(s.status_message, maxChars)}` : ""}`);
    parts.push(`(span ${s.span_id})`);
    const input = clip(s.input, maxChars);
    const output = clip(s.output, maxChars);
    const pad = "  ".repeat(depth + 1);
    lines.push(parts.join("  ") + (input !== null ? `\n${pad}in:  ${input}` : "") + (output !== null ? `\n${pad}out: ${output}` : ""));
    for (const child of [...(children.get(s.span_id) ?? [])].reverse()) stack.push({ span: child, depth: depth + 1 });
  }
  return lines;
}

export interface RunLine {
  trace_id: string;
  name: string;
  start_time: string;
  duration_ms: number;
  span_count: number;
  status: string;
  models: string[];
  total_tokens: number | null;
  user_id: string | null;
  session_id: string | null;
  input_preview: string | null;
}

/** A run as one line: when, what, outcome, size, who, and the start of its input. */
export function runLine(r: RunLine, maxChars: number): string {
  const who = [r.user_id && `user ${r.user_id}`, r.session_id && `session ${r.session_id}`].filter(Boolean).join(", ");
  const bits = [
    r.trace_id,
    r.start_time,
    r.name,
    r.status.toUpperCase(),
    ms(r.duration_ms),
    `${r.span_count} spans`,
    r.models.length ? r.models.join("+") : null,
    r.total_tokens !== null ? `${r.total_tokens} tokens` : null,
    who || null,
  ].filter((b): b is string => b !== null);
  const input = clip(r.input_preview, maxChars);
  return bits.join(" | ") + (input ? `\n    in: ${input}` : "");
}
