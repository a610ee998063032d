import { trace } from "@opentelemetry/api";
import { log } from "../../log.js";
import { bentoTracerName } from "../parent.js";
import { beforeEachPatch, installBeneath } from "./beneath.js";
import { prepareStream } from "./streams.js";

/**
 * What `bento.instrument()` adds to OpenInference's LLM-client instrumentations, beneath their own
 * wrappers of the SDK's `create` methods (see `beneath.ts` for why beneath, `streams.ts` for what):
 * token counts on streamed OpenAI chat completions, and streams cut off by the network recorded
 * as failed spans instead of crashing the process with an unhandled rejection.
 */

interface Client {
  /** The module the instrumentation patches (its module definition's name). */
  module: string;
  /** The `create` methods it wraps, and whether their streams carry OpenAI `usage` chunks. */
  methods(exports: unknown): Array<{ proto: unknown; usage: boolean }>;
}

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CLIENTS: Readonly<Record<string, Client>> = {
  "@arizeai/openinference-instrumentation-openai": {
    module: "openai",
    methods: (e) => {
      const OpenAI = (e as Any | null)?.OpenAI;
      return [
        { proto: OpenAI?.Chat?.Completions?.prototype, usage: true },
        { proto: OpenAI?.Responses?.prototype, usage: false },
      ];
    },
  },
  "@arizeai/openinference-instrumentation-anthropic": {
    module: "@anthropic-ai/sdk",
    methods: (e) => {
      const Anthropic = (e as Any | null)?.default ?? e;
      return [
        { proto: (Anthropic as Any | null)?.Messages?.prototype, usage: false },
        { proto: (Anthropic as Any | null)?.Beta?.Messages?.prototype, usage: false },
      ];
    },
  },
};

interface InstrumentationLike {
  instrumentationName?: string;
  /** OpenInference keeps the modules it patched here (4.x). */
  patchedModuleExports?: Map<unknown, unknown>;
}

/** Prepare `instrumentation` if it is one of the OpenInference LLM-client instrumentations Bento knows. */
export function prepareOpenInference(instrumentation: InstrumentationLike): void {
  const name = instrumentation.instrumentationName;
  const client = name === undefined ? undefined : CLIENTS[name];
  if (!name || !client) return;
  if (instrumentation.patchedModuleExports instanceof Map && instrumentation.patchedModuleExports.size > 0) warnTooLate(client.module);
  beforeEachPatch(instrumentation, client.module, (exports) => {
    for (const { proto, usage } of client.methods(exports)) {
      if (installBeneath(proto, "create", (original) => beneathCreate(original, name, usage)) === "too-late") warnTooLate(client.module);
    }
  });
}

function warnTooLate(module: string): void {
  log.warnOnce(
    `openinference_patched_early:${module}`,
    `${module} was patched by the OpenInference instrumentation before bento.instrument(), so its streamed calls get no ` +
      `token-count fix and no protection from cut-off streams. Call bento.instrument(instrumentation) before ` +
      `manuallyInstrument(...) or require("${module}").`,
  );
}

type Fn = (this: unknown, ...args: unknown[]) => unknown;
type ThenUnwrap = (transform: (data: unknown) => unknown) => unknown;

function beneathCreate(original: Fn, instrumentationName: string, usage: boolean): Fn {
  return function create(this: unknown, ...args: unknown[]): unknown {
    const result = original.apply(this, args);
    try {
      if ((args[0] as { stream?: unknown } | null)?.stream !== true) return result;
      // The instrumentation's LLM span, made through Bento's provider; anything else is left alone
      // (the instrumentation disabled, tracing suppressed, another tracer's span).
      const span = trace.getActiveSpan();
      if (!span || bentoTracerName(span) !== instrumentationName || !span.isRecording()) return result;
      // The SDK's APIPromise: `_thenUnwrap` keeps it one (`withResponse()`…), as the instrumentation
      // itself does. A plain promise (an older or custom client) is left alone.
      const thenUnwrap = (result as { _thenUnwrap?: ThenUnwrap } | null)?._thenUnwrap;
      if (typeof thenUnwrap !== "function") return result;
      return thenUnwrap.call(result, (stream: unknown) => {
        prepareStream(stream, span, { usage });
        return stream;
      });
    } catch {
      return result;
    }
  };
}
