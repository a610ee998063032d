import { type Context, context, type Span, type SpanOptions, type Tracer, type TracerOptions, trace } from "@opentelemetry/api";
import type { Span as SdkSpan } from "@opentelemetry/sdk-trace-base";
import { runtime } from "../runtime.js";
import { captureIdentity } from "../spans/ambient.js";
import { enrichOnEnd } from "./columns.js";
import { ensureContextManagerIfArmed } from "./context-manager.js";
import { chooseParent, markBentoSpan, runWithActiveSpan } from "./parent.js";

type ActiveFn = (span: Span) => unknown;

/**
 * A tracer over Bento's own provider that nests spans under the open Bento span (see
 * `chooseParent`). It resolves the provider on every call, so it keeps working after
 * `shutdown()` and the lazy re-initialization that follows.
 */
export class BentoTracer implements Tracer {
  constructor(
    private readonly name: string,
    private readonly version: string | undefined,
    private readonly options: TracerOptions | undefined,
  ) {}

  startSpan(name: string, options?: SpanOptions, ctx?: Context): Span {
    return this.start(name, options, ctx ?? context.active()).span;
  }

  startActiveSpan<F extends ActiveFn>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends ActiveFn>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends ActiveFn>(name: string, options: SpanOptions, ctx: Context, fn: F): ReturnType<F>;
  startActiveSpan<F extends ActiveFn>(name: string, a?: F | SpanOptions, b?: F | Context, c?: F): ReturnType<F> {
    let options: SpanOptions | undefined;
    let ctx: Context | undefined;
    let fn: F;
    if (typeof a === "function") fn = a;
    else if (typeof b === "function") [options, fn] = [a, b];
    else [options, ctx, fn] = [a, b, c as F];
    const { span, parent } = this.start(name, options, ctx ?? context.active());
    return runWithActiveSpan(span, () => context.with(trace.setSpan(parent, span), fn as (s: Span) => ReturnType<F>, undefined, span));
  }

  private start(name: string, options: SpanOptions | undefined, ctx: Context): { span: Span; parent: Context } {
    ensureContextManagerIfArmed();
    // `root: true` asks for a new trace: honour it rather than re-parenting.
    const parent = options?.root ? ctx : chooseParent(ctx);
    const span = runtime().provider.getTracer(this.name, this.version, this.options).startSpan(name, options, parent);
    markBentoSpan(span, this.name);
    // Identity is read now, in the caller's async context; columns are added when the span ends.
    if (span.isRecording()) enrichOnEnd(span as SdkSpan, captureIdentity(), () => runtime().settings);
    return { span, parent };
  }
}
