import type { Attributes } from "@opentelemetry/api";
import { buildAttributes, type Usage, writeColumns, writeIo, writeProperties, writeUsage } from "../attributes/map.js";
import type { SpanNode } from "../context.js";
import { log } from "../log.js";
import { runtime } from "../runtime.js";
import { type Completion, closeNode, makeCurrent, openInner, openNode, recordError, runInNode } from "./core.js";
import { nodeIdentity } from "./identity.js";
import { runTool, ToolSpan, type ToolSpanOptions } from "./tool-span.js";
import type { AiOptions } from "./track-ai.js";
import { randomSpanId, safeName, warnSessionIdOption } from "./util.js";

export type BeginOptions = AiOptions;

// A private field, not a WeakMap: measurably cheaper per span (no ephemeron-table entry for GC).
let nodeOf: (t: Interaction) => SpanNode | undefined;

/** Additive changes to an open trajectory. */
export interface InteractionUpdate {
  input?: unknown;
  output?: unknown;
  model?: string;
  provider?: string;
  usage?: Usage;
  /** Merged by key into the span's attributes. */
  properties?: Record<string, unknown>;
}

export interface FinishOptions {
  output?: unknown;
  properties?: Record<string, unknown>;
  usage?: Usage;
  /** Marks the trajectory failed: status ERROR plus an `exception` event. */
  error?: unknown;
}

/**
 * An open trajectory: one run of the agent, the root span of its trace. Made by `bento.begin`.
 * Finish it with `finish()`, or let `using` / the callback form finish it for you.
 */
export class Interaction implements Disposable {
  /** The trajectory's span id (16 hex chars). */
  readonly eventId: string;

  /** @internal */
  #node: SpanNode | undefined;

  static {
    nodeOf = (t) => t.#node;
  }

  constructor(node: SpanNode | undefined) {
    this.#node = node;
    this.eventId = node ? node.span.spanContext().spanId : randomSpanId();
  }

  /** The session (`gen_ai.conversation.id`) this trajectory belongs to, if any. */
  get convoId(): string | undefined {
    return nodeOf(this)?.identity.convoId;
  }

  /** True once the trajectory has been finished. */
  get finished(): boolean {
    return nodeOf(this)?.ended ?? true;
  }

  /** Add input/output/properties; properties merge by key. Never throws. */
  update(update: InteractionUpdate = {}): this {
    const node = nodeOf(this);
    if (!node || node.ended) return this;
    try {
      node.span.setAttributes(updateAttributes(update));
    } catch (err) {
      log.warnOnce("update_failed", `Interaction.update ignored bad input: ${String(err)}`);
    }
    return this;
  }

  /**
   * Final update, then end the span. Idempotent: a second call is a no-op. Throws an Error
   * ("out of order") if a trajectory begun inside this one is still open.
   */
  finish(options: FinishOptions = {}): void {
    const node = nodeOf(this);
    if (!node || node.ended) return;
    const inner = openInner(node);
    if (inner) {
      throw new Error(
        `Cannot finish trajectory "${node.name}" out of order: the inner trajectory "${inner.name}" is still open. Finish inner trajectories first.`,
      );
    }
    this.#end(options);
  }

  /** @internal Finish without the ordering check (callback and `using` forms). */
  end(options: FinishOptions = {}): void {
    const node = nodeOf(this);
    if (!node || node.ended) return;
    const inner = openInner(node);
    if (inner)
      log.warnOnce("out_of_order_auto", `Trajectory "${node.name}" ended while the inner trajectory "${inner.name}" was still open.`);
    this.#end(options);
  }

  #end(options: FinishOptions): void {
    const node = nodeOf(this) as SpanNode;
    let attributes: Attributes = {};
    try {
      attributes = updateAttributes(options ?? {});
      if (options?.error !== undefined) recordError(node.span, options.error);
    } catch (err) {
      log.warnOnce("finish_input", `Interaction.finish ignored bad input: ${String(err)}`);
    }
    closeNode(node, attributes);
  }

  /** Start a tool span that is a child of this trajectory (handle or callback form). */
  toolSpan(name: string, options?: ToolSpanOptions): ToolSpan;
  toolSpan<T>(name: string, options: ToolSpanOptions | undefined, fn: (span: ToolSpan) => T): T;
  toolSpan<T>(name: string, options?: ToolSpanOptions, fn?: (span: ToolSpan) => T): ToolSpan | T {
    const own = nodeOf(this);
    const parent = own && !own.ended ? own : undefined;
    return fn ? runTool(name, options, fn, { parent }) : ToolSpan.open(name, options, parent);
  }

  [Symbol.dispose](): void {
    this.end();
  }
}

function updateAttributes(u: InteractionUpdate | FinishOptions): Attributes {
  const settings = runtime().settings;
  const out: Attributes = {};
  writeProperties(out, u.properties, settings);
  if ("model" in u || "provider" in u)
    writeColumns(out, { model: (u as InteractionUpdate).model, provider: (u as InteractionUpdate).provider }, settings);
  writeIo(out, "input", (u as InteractionUpdate).input, settings);
  writeIo(out, "output", u.output, settings);
  writeUsage(out, u.usage, settings);
  return out;
}

function open(options: BeginOptions): Interaction {
  try {
    const rt = runtime();
    if (!rt.enabled) return new Interaction(undefined); // tracing off: no span is built
    const settings = rt.settings;
    // Named fields rather than a `...rest` copy of the options bag (a measurable hot-path cost);
    // identity columns are written from the node's identity when it closes.
    const o = options;
    warnSessionIdOption(o, "begin");
    const attributes = buildAttributes(
      { model: o.model, provider: o.provider, input: o.input, output: o.output, usage: o.usage, properties: o.properties },
      undefined,
      settings,
    );
    const node = openNode("trajectory", safeName(options.event, "begin"), attributes, nodeIdentity(options));
    return new Interaction(node);
  } catch (err) {
    log.warnOnce("begin_failed", `begin could not start a trajectory: ${String(err)}`);
    return new Interaction(undefined);
  }
}

/** @internal Run `fn` inside a new trajectory; the one path the callback form and wrappers share. */
export function runTrajectory<T>(
  options: BeginOptions,
  fn: (t: Interaction) => T,
  hooks: { captureOutput?: boolean; streams?: boolean } = {},
): T {
  const t = open(options);
  const node = nodeOf(t);
  if (!node) return fn(t);
  const run = hooks.streams ? { streams: { collect: hooks.captureOutput === true } } : {};
  return runInNode(
    node,
    () => fn(t),
    (c: Completion) => {
      if (c.failed) t.end({ error: c.error });
      else t.end(hooks.captureOutput && c.value !== undefined ? { output: c.value } : {});
    },
    run,
  );
}

/**
 * Start a trajectory: one run of your agent, the root span of a trace.
 * Handle form returns an {@link Interaction} you finish (or `using`); callback form finishes for you
 * and returns the callback's result, recording and re-throwing its errors.
 *
 * @example
 * await bento.begin({ event: "chat", userId, convoId }, async (t) => {
 *   const answer = await agent.run(question);
 *   t.finish({ output: answer });
 * });
 */
export function begin(options: BeginOptions): Interaction;
export function begin<T>(options: BeginOptions, fn: (interaction: Interaction) => T): T;
export function begin<T>(options: BeginOptions, fn?: (interaction: Interaction) => T): Interaction | T {
  if (typeof fn === "function") return runTrajectory(options, fn);
  const t = open(options);
  const node = nodeOf(t);
  if (node) makeCurrent(node);
  return t;
}
