import { log } from "../../log.js";

/**
 * Installing a wrapper *underneath* an OpenTelemetry instrumentation's own wrapper of a method.
 *
 * Why underneath: an OpenInference instrumentation calls the original method inside
 * `context.with(trace.setSpan(ctx, llmSpan))`, so code placed between its wrapper and the original
 * sees the LLM span as the active one, and sees the SDK's raw result before the instrumentation
 * does anything with it (such as `tee()` a stream). Code placed on top of its wrapper sees neither.
 */

const MARK = Symbol.for("@bentolabs/sdk.beneath");

type Fn = (this: unknown, ...args: unknown[]) => unknown;
type Patch = (this: unknown, exports: unknown, version?: string) => unknown;

interface ModuleDefinitionLike {
  name?: string;
  patch?: Patch;
}

interface PatchableInstrumentation {
  patch?: Patch;
  getModuleDefinitions?: () => ModuleDefinitionLike[];
  _modules?: ModuleDefinitionLike[];
  [MARK]?: true;
}

/**
 * Run `before(exports)` each time `instrumentation` is about to patch the module `moduleName`:
 * through its require/import hook and through `manuallyInstrument(module)`. Idempotent.
 */
export function beforeEachPatch(instrumentation: object, moduleName: string, before: (exports: unknown) => void): void {
  const target = instrumentation as PatchableInstrumentation;
  if (target[MARK]) return;
  target[MARK] = true;
  const wrap = (patch: Patch): Patch =>
    function (this: unknown, exports: unknown, version?: string) {
      before(exports);
      return patch.call(this, exports, version);
    };
  // `manuallyInstrument(module)` calls `this.patch(module)`: an own property takes precedence.
  if (typeof target.patch === "function") target.patch = wrap(target.patch);
  // The hooks call each module definition's `patch`, bound at construction. `getModuleDefinitions()`
  // is public from @opentelemetry/instrumentation 0.52; older lines keep the same objects in `_modules`.
  for (const definition of target.getModuleDefinitions?.() ?? target._modules ?? []) {
    if (definition?.name === moduleName && typeof definition.patch === "function") definition.patch = wrap(definition.patch);
  }
}

export type Beneath = "installed" | "already" | "too-late" | "absent";

/**
 * Replace `proto[name]` by `wrap(original)`, unless it is ours already or an instrumentation has
 * wrapped it (then ours would sit on top, too late). Never throws.
 */
export function installBeneath(proto: unknown, name: string, wrap: (original: Fn) => Fn): Beneath {
  try {
    const holder = proto as Record<string, unknown> | null | undefined;
    const original = holder?.[name] as (Fn & { [MARK]?: true; __wrapped?: boolean }) | undefined;
    if (!holder || typeof original !== "function") return "absent";
    if (original[MARK]) return "already";
    if (original.__wrapped) return "too-late";
    const wrapped = wrap(original) as Fn & { [MARK]?: true };
    wrapped[MARK] = true;
    holder[name] = wrapped;
    return "installed";
  } catch (err) {
    log.warnOnce(`beneath:${name}`, `Could not prepare ${name} for tracing: ${String(err)}`);
    return "absent";
  }
}
