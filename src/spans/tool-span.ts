import type { Attributes } from "@opentelemetry/api";
import { buildAttributes, writeIo, writeProperty } from "../attributes/map.js";
import type { SpanNode } from "../context.js";
import { log } from "../log.js";
import { runtime } from "../runtime.js";
import { KIND_TOOL } from "../semconv.js";
import { closeNode, makeCurrent, openNode, recordError, runInNode } from "./core.js";
import { nodeIdentity } from "./identity.js";
import { randomSpanId, safeName } from "./util.js";

export interface ToolSpanOptions {
  /** `input.value`: the tool's arguments. Strings as-is, anything else JSON-serialized. */
  input?: unknown;
  /** Extra attributes, each key as-is. */
  properties?: Record<string, unknown>;
}

// A private field, not a WeakMap: measurably cheaper per span (no ephemeron-table entry for GC).
let nodeOf: (t: ToolSpan) => SpanNode | undefined;

/** An open tool call (`openinference.span.kind = "tool"`). End it, or let `using` end it. */
export class ToolSpan implements Disposable {
  /** The span id (16 hex chars). */
  readonly spanId: string;

  /** @internal */
  #node: SpanNode | undefined;

  static {
    nodeOf = (t) => t.#node;
  }

  constructor(node: SpanNode | undefined) {
    this.#node = node;
    this.spanId = node ? node.span.spanContext().spanId : randomSpanId();
  }

  /** @internal Open a tool span under `parent` (default: the innermost open span) and make it current. */
  static open(name: string, options: ToolSpanOptions | undefined, parent?: SpanNode): ToolSpan {
    const span = new ToolSpan(openToolNode(name, options, parent));
    const node = nodeOf(span);
    if (node) makeCurrent(node);
    return span;
  }

  /** Set `output.value` (same serialization as `output`). */
  setOutput(value: unknown): this {
    return this.#set((out) => writeIo(out, "output", value, runtime().settings));
  }

  /** Set one attribute with SPEC.md §2 type fidelity. */
  setAttribute(key: string, value: unknown): this {
    return this.#set((out) => writeProperty(out, String(key), value, runtime().settings));
  }

  /** End the span; idempotent. Pass `error` to mark it failed. */
  end(options: { output?: unknown; error?: unknown } = {}): void {
    const node = nodeOf(this);
    if (!node || node.ended) return;
    if (options?.output !== undefined) this.setOutput(options.output);
    if (options?.error !== undefined) recordError(node.span, options.error);
    closeNode(node);
  }

  [Symbol.dispose](): void {
    this.end();
  }

  #set(write: (out: Attributes) => void): this {
    const node = nodeOf(this);
    if (!node || node.ended) return this;
    try {
      const out: Attributes = {};
      write(out);
      node.span.setAttributes(out);
    } catch (err) {
      log.warnOnce("tool_set_failed", `ToolSpan ignored bad input: ${String(err)}`);
    }
    return this;
  }
}

function openToolNode(name: string, options: ToolSpanOptions | undefined, parent?: SpanNode): SpanNode | undefined {
  try {
    if (!runtime().enabled) return undefined; // tracing off: no span is built
    const attributes = buildAttributes({ input: options?.input, properties: options?.properties }, KIND_TOOL, runtime().settings);
    return openNode("tool", safeName(name, "toolSpan"), attributes, nodeIdentity(undefined), parent);
  } catch (err) {
    log.warnOnce("toolSpan_failed", `toolSpan could not start a span: ${String(err)}`);
    return undefined;
  }
}

/** @internal Run `fn` inside a new tool span; shared by the callback form and wrappers. */
export function runTool<T>(
  name: string,
  options: ToolSpanOptions | undefined,
  fn: (span: ToolSpan) => T,
  hooks: { parent?: SpanNode | undefined; captureOutput?: boolean; streams?: boolean } = {},
): T {
  const node = openToolNode(name, options, "parent" in hooks ? hooks.parent : undefined);
  const span = new ToolSpan(node);
  if (!node) return fn(span);
  const run = hooks.streams ? { streams: { collect: hooks.captureOutput === true } } : {};
  return runInNode(
    node,
    () => fn(span),
    (c) => {
      if (c.failed) span.end({ error: c.error });
      else span.end(hooks.captureOutput && c.value !== undefined ? { output: c.value } : {});
    },
    run,
  );
}

/**
 * Start a tool span. It parents to the innermost open trajectory or tool span, else it is a
 * detached root. Handle form returns a {@link ToolSpan}; callback form ends it for you.
 *
 * @example
 * const rows = await bento.toolSpan("search_db", { input: { q } }, async (span) => {
 *   const rows = await db.search(q);
 *   span.setOutput(rows);
 *   return rows;
 * });
 */
export function toolSpan(name: string, options?: ToolSpanOptions): ToolSpan;
export function toolSpan<T>(name: string, options: ToolSpanOptions | undefined, fn: (span: ToolSpan) => T): T;
export function toolSpan<T>(name: string, options?: ToolSpanOptions, fn?: (span: ToolSpan) => T): ToolSpan | T {
  return typeof fn === "function" ? runTool(name, options, fn) : ToolSpan.open(name, options);
}
