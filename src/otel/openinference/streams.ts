import { type Attributes, type Span, SpanStatusCode } from "@opentelemetry/api";
import { toInt } from "../../attributes/map.js";
import * as K from "../../semconv.js";

/**
 * What Bento does to an LLM SDK's stream (openai's / Anthropic's `Stream`) before an OpenInference
 * instrumentation `tee()`s it:
 *
 * - **usage** (OpenAI chat): every chunk passes an observer as it is read from the network, so the
 *   usage chunk (`choices: []`, which the instrumentation skips) is on the span before either branch
 *   can see the end of the stream, and so before the instrumentation's `span.end()`.
 * - **failures**: the instrumentation reads its branch in a detached promise and rethrows a read
 *   error from it, so a stream the network cuts off ends in an *unhandled rejection* (which ends
 *   a Node process by default, even though the caller caught the error from its own branch) and a
 *   span that never ends. The branch the instrumentation starts reading at once (in the same tick
 *   as `tee()`; the caller's branch reaches the caller later) has its read errors recorded on the
 *   span instead, and ends normally, so the instrumentation closes the span. The caller's branch
 *   still gets the error.
 * - **ordering**: the caller's branch delivers its end (or its error) only once the span has ended
 *   (bounded: at most until the pending microtasks have run), so code that consumes a stream and
 *   then calls `await bento.flush()` (a serverless handler) exports the LLM span with it.
 */

interface StreamLike {
  iterator?: (this: unknown) => AsyncIterator<unknown>;
  tee?: (this: unknown) => unknown;
}

export function prepareStream(stream: unknown, span: Span, options: { usage: boolean }): void {
  const s = stream as StreamLike | null;
  if (!s || typeof s !== "object") return;
  if (options.usage && typeof s.iterator === "function") {
    const iterate = s.iterator;
    s.iterator = function () {
      return mapNext(iterate.call(this), (next) =>
        next.then((r) => {
          if (!r.done) recordUsage((r.value as { usage?: unknown } | null)?.usage, span);
          return r;
        }),
      );
    };
  }
  if (typeof s.tee === "function") {
    const tee = s.tee;
    s.tee = function () {
      const branches = tee.call(this);
      if (Array.isArray(branches)) settleFirstReader(branches as StreamLike[], span);
      return branches;
    };
  }
}

function settleFirstReader(branches: StreamLike[], span: Span): void {
  let sameTick = true;
  queueMicrotask(() => (sameTick = false));
  let afterSpanEnd: (() => Promise<void>) | undefined;
  for (const branch of branches) {
    const iterate = branch?.iterator;
    if (typeof iterate !== "function") continue;
    branch.iterator = function () {
      const it = iterate.call(this);
      if (sameTick) {
        sameTick = false;
        afterSpanEnd = whenEnded(span);
        return mapNext(it, (next) =>
          next.catch((error: unknown): IteratorResult<unknown> => {
            markFailed(span, error);
            return { done: true, value: undefined };
          }),
        );
      }
      const settled = afterSpanEnd;
      if (!settled) return it;
      return mapNext(it, (next) =>
        next.then(
          (r) => (r.done ? settled().then(() => r) : r),
          (error: unknown) =>
            settled().then(() => {
              throw error;
            }),
        ),
      );
    };
  }
}

/** A wait for `span.end()`, bounded by the end of the current microtask queue (one `setImmediate`). */
function whenEnded(span: Span): () => Promise<void> {
  let ended!: () => void;
  const done = new Promise<void>((resolve) => (ended = resolve));
  const end = span.end;
  span.end = function (this: Span, ...args: Parameters<Span["end"]>) {
    try {
      return end.apply(this, args);
    } finally {
      ended();
    }
  };
  return () =>
    Promise.race([
      done,
      new Promise<void>((resolve) => (typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0))),
    ]);
}

function mapNext(
  it: AsyncIterator<unknown>,
  map: (next: Promise<IteratorResult<unknown>>) => Promise<IteratorResult<unknown>>,
): AsyncIterator<unknown> & AsyncIterable<unknown> {
  return {
    next: (...a: [] | [unknown]) => map(it.next(...a)),
    return: it.return && ((v?: unknown) => it.return!(v)),
    throw: it.throw && ((e?: unknown) => it.throw!(e)),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

function markFailed(span: Span, error: unknown): void {
  try {
    if (!span.isRecording()) return;
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    // The instrumentation goes on to mark the cut-off stream OK (Anthropic's) or to reset the
    // status without its message (OpenAI Responses): the error is the final word.
    span.setStatus = () => span;
  } catch {
    // never into the host
  }
}

interface Usage {
  prompt_tokens?: unknown;
  completion_tokens?: unknown;
  total_tokens?: unknown;
  prompt_tokens_details?: { cached_tokens?: unknown; audio_tokens?: unknown } | null;
  completion_tokens_details?: { reasoning_tokens?: unknown; audio_tokens?: unknown } | null;
}

/** OpenAI's `usage` as the OpenInference keys the instrumentation writes for plain calls. */
export function usageAttributes(usage: Usage): Attributes {
  const out: Attributes = {};
  const put = (key: string, value: unknown): void => {
    const n = toInt(value);
    if (n !== undefined) out[key] = n;
  };
  put(K.LLM_TOKEN_COUNT_PROMPT, usage.prompt_tokens);
  put(K.LLM_TOKEN_COUNT_COMPLETION, usage.completion_tokens);
  put(K.LLM_TOKEN_COUNT_TOTAL, usage.total_tokens);
  put(K.LLM_TOKEN_COUNT_PROMPT_CACHE_READ, usage.prompt_tokens_details?.cached_tokens);
  put(K.LLM_TOKEN_COUNT_PROMPT_AUDIO, usage.prompt_tokens_details?.audio_tokens);
  put(K.LLM_TOKEN_COUNT_COMPLETION_REASONING, usage.completion_tokens_details?.reasoning_tokens);
  put(K.LLM_TOKEN_COUNT_COMPLETION_AUDIO, usage.completion_tokens_details?.audio_tokens);
  return out;
}

function recordUsage(usage: unknown, span: Span): void {
  if (!usage || typeof usage !== "object") return;
  try {
    const attributes = usageAttributes(usage as Usage);
    if (Object.keys(attributes).length > 0 && span.isRecording()) span.setAttributes(attributes);
  } catch {
    // A hostile chunk never reaches the caller's stream as an error.
  }
}
