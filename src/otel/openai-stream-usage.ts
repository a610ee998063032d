import { trace, type Attributes, type Span } from "@opentelemetry/api";
import * as K from "../semconv.js";
import { log } from "../log.js";
import { bentoTracerName } from "./parent.js";

/**
 * Token counts for streamed OpenAI chat completions traced by OpenInference's OpenAI
 * instrumentation.
 *
 * Why: `@arizeai/openinference-instrumentation-openai` (4.2.x) records usage for plain calls, but
 * its stream consumer skips chunks with empty `choices`, which is exactly where OpenAI puts the
 * `usage` that `stream_options: { include_usage: true }` asks for. So streamed LLM spans carried
 * no `llm.token_count.*`.
 *
 * How: before the instrumentation patches `Chat.Completions.prototype.create`, Bento wraps the
 * original underneath it. The instrumentation calls the original inside
 * `context.with(trace.setSpan(ctx, llmSpan))`, so our wrapper sees its span as the active one. For
 * a streamed call it observes the raw SSE stream *before* the instrumentation tees it: every chunk
 * passes through the observer as it is read from the network, so the usage chunk is recorded on
 * the span before either branch can see the end of the stream, and so before the
 * instrumentation's `span.end()`. Nothing the caller receives changes.
 */

export const OPENINFERENCE_OPENAI = "@arizeai/openinference-instrumentation-openai";

const OBSERVED = Symbol.for("@bentolabs/sdk.openaiStreamUsage");

type Fn = (this: unknown, ...args: unknown[]) => unknown;

interface ModuleDefinitionLike {
  name?: string;
  patch?: (exports: unknown, version?: string) => unknown;
}

interface PatchableInstrumentation {
  patch?: (exports: unknown, version?: string) => unknown;
  patchedModuleExports?: Map<unknown, unknown>;
  getModuleDefinitions?: () => ModuleDefinitionLike[];
  _modules?: ModuleDefinitionLike[];
  [OBSERVED]?: true;
}

/**
 * Make the OpenInference OpenAI instrumentation `instrumentation` record token counts on streamed
 * chat completions: hook its patch step (the require/import hook and `manuallyInstrument`) so the
 * stream observer goes in underneath its wrapper. Idempotent; never throws.
 */
export function observeOpenAIStreamUsage(instrumentation: object): void {
  const target = instrumentation as PatchableInstrumentation;
  if (target[OBSERVED]) return;
  target[OBSERVED] = true;
  if (target.patchedModuleExports instanceof Map && target.patchedModuleExports.size > 0) warnPatchedTooEarly();
  // `manuallyInstrument(module)` calls `this.patch(module)`: an own property takes precedence.
  if (typeof target.patch === "function") target.patch = beforePatch(target.patch);
  // The require/import hooks call each module definition's `patch`, bound at construction.
  // `getModuleDefinitions()` is public from @opentelemetry/instrumentation 0.52; older lines keep
  // the same objects in `_modules`.
  const definitions = target.getModuleDefinitions?.() ?? target._modules ?? [];
  for (const definition of definitions) {
    if (definition?.name === "openai" && typeof definition.patch === "function") definition.patch = beforePatch(definition.patch);
  }
}

function beforePatch<P extends (this: unknown, exports: unknown, version?: string) => unknown>(patch: P): P {
  return function (this: unknown, exports: unknown, version?: string) {
    installStreamObserver(exports);
    return patch.call(this, exports, version);
  } as P;
}

/** Put the observer on `openai`'s chat `create`, unless it is there or the module is already patched. */
export function installStreamObserver(exports: unknown): void {
  try {
    const proto = (exports as { OpenAI?: { Chat?: { Completions?: { prototype?: Record<string, unknown> } } } })?.OpenAI?.Chat?.Completions
      ?.prototype;
    const original = proto?.create as (Fn & { [OBSERVED]?: true; __wrapped?: boolean }) | undefined;
    if (!proto || typeof original !== "function" || original[OBSERVED]) return;
    if (original.__wrapped) {
      // Already patched: our wrapper would sit outside the instrumentation's and see too late.
      warnPatchedTooEarly();
      return;
    }
    const observed = function create(this: unknown, ...args: unknown[]): unknown {
      const result = original.apply(this, args);
      try {
        return observeResult(args[0], result);
      } catch {
        return result;
      }
    } as Fn & { [OBSERVED]?: true };
    observed[OBSERVED] = true;
    proto.create = observed;
  } catch (err) {
    log.warnOnce("openai_stream_usage", `Could not prepare token counts for streamed OpenAI calls: ${String(err)}`);
  }
}

function warnPatchedTooEarly(): void {
  log.warnOnce(
    "openai_patched_early",
    "openai was patched by the OpenInference instrumentation before bento.instrument(), so streamed chat completions " +
      "will carry no token counts. Call bento.instrument(instrumentation) before manuallyInstrument(OpenAI) or require('openai').",
  );
}

type ThenUnwrap = (transform: (data: unknown) => unknown) => unknown;

function observeResult(body: unknown, result: unknown): unknown {
  if ((body as { stream?: unknown } | null)?.stream !== true) return result;
  const span = trace.getActiveSpan();
  if (!span || bentoTracerName(span) !== OPENINFERENCE_OPENAI || !span.isRecording()) return result;
  // openai's APIPromise: `_thenUnwrap` keeps it an APIPromise (`withResponse()` etc.), and is what
  // the instrumentation itself chains on. A plain promise (older or custom clients) is left alone.
  const thenUnwrap = (result as { _thenUnwrap?: ThenUnwrap } | null)?._thenUnwrap;
  if (typeof thenUnwrap !== "function") return result;
  return thenUnwrap.call(result, (stream: unknown) => {
    observeStream(stream, span);
    return stream;
  });
}

interface StreamLike {
  iterator?: () => AsyncIterator<unknown>;
}

function observeStream(stream: unknown, span: Span): void {
  const s = stream as StreamLike | null;
  const iterate = s?.iterator;
  if (typeof iterate !== "function") return;
  // openai's Stream reads chunks through `this.iterator()`, for `for await` and for `tee()` alike.
  s!.iterator = function (this: unknown) {
    const inner = iterate.call(this);
    const seen = (r: IteratorResult<unknown>): IteratorResult<unknown> => {
      if (!r.done) recordUsage((r.value as { usage?: unknown } | null)?.usage, span);
      return r;
    };
    return {
      next: (...a: [] | [unknown]) => inner.next(...a).then(seen),
      return: inner.return && ((v?: unknown) => inner.return!(v)),
      throw: inner.throw && ((e?: unknown) => inner.throw!(e)),
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  };
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
    if (typeof value === "number" && Number.isFinite(value)) out[key] = value;
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
