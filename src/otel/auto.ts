import { log } from "../log.js";
import type { InstrumentationLike } from "./instrument.js";

/**
 * `bento.instrument()` with no argument: enable the OpenInference instrumentation of each LLM
 * client library that is installed together with it, like the Python SDK's auto-detection.
 */

/** An instrumentation Bento knows how to find, and the client library it patches. */
export interface KnownInstrumentation {
  /** npm package of the instrumentation. */
  readonly package: string;
  /** Its exported class. */
  readonly exportName: string;
  /** npm package of the client library it patches. */
  readonly client: string;
  /** What `manuallyInstrument` expects from the client's module namespace. */
  readonly moduleOf: (namespace: Record<string, unknown>) => unknown;
}

export const KNOWN_INSTRUMENTATIONS: readonly KnownInstrumentation[] = [
  { package: "@arizeai/openinference-instrumentation-openai", exportName: "OpenAIInstrumentation", client: "openai", moduleOf: (ns) => ns },
  {
    package: "@arizeai/openinference-instrumentation-anthropic",
    exportName: "AnthropicInstrumentation",
    client: "@anthropic-ai/sdk",
    moduleOf: (ns) => ns.default ?? ns,
  },
];

export interface Patchable extends InstrumentationLike {
  manuallyInstrument?(module: unknown): void;
  disable?(): void;
}

export interface AutoDeps {
  /** Load a package as an ES module (the app's `import` sees the same instance). */
  importModule(name: string): Promise<Record<string, unknown>>;
  /** The CommonJS exports of `name` if the app already `require`d it, else undefined. */
  requiredModule(name: string): unknown | Promise<unknown>;
}

// Resolved at call time through the host, not imported: the edge build must not import node:module
// (auto-detection is Node-only, like OpenInference's patching). process.getBuiltinModule needs
// Node 20.16; older Node 20 loads it with a dynamic import (its name in a variable, so no bundler
// resolves it for the edge build).
const NODE_MODULE = "node:module";
const appRequire = async (): Promise<NodeJS.Require> => {
  const host = process as unknown as { getBuiltinModule?(id: string): typeof import("node:module") };
  const { createRequire } = host.getBuiltinModule?.(NODE_MODULE) ?? ((await import(NODE_MODULE)) as typeof import("node:module"));
  return createRequire(`${process.cwd()}/package.json`);
};

export const defaultAutoDeps: AutoDeps = {
  importModule: (name) => import(name) as Promise<Record<string, unknown>>,
  async requiredModule(name) {
    try {
      const req = await appRequire();
      return req.cache[req.resolve(name)]?.exports;
    } catch {
      return undefined;
    }
  },
};

/**
 * Find, construct, enable (through `enable`, which hands over Bento's provider) and patch the
 * installed instrumentations. The client is patched both as the ES module the app imports and,
 * if the app already required it, as its CommonJS copy; later `require`s are patched by the
 * instrumentation's own hook. Resolves with what it enabled, never rejects.
 */
export async function detectInstrumentations(
  enable: (instrumentation: Patchable) => boolean,
  deps: AutoDeps = defaultAutoDeps,
): Promise<Array<{ name: string; instrumentation: Patchable }>> {
  const enabled: Array<{ name: string; instrumentation: Patchable }> = [];
  for (const known of KNOWN_INSTRUMENTATIONS) {
    let client: Record<string, unknown>;
    let Ctor: new () => Patchable;
    try {
      client = await deps.importModule(known.client);
      Ctor = (await deps.importModule(known.package))[known.exportName] as new () => Patchable;
      if (typeof Ctor !== "function") continue;
    } catch {
      continue; // not installed (or not loadable): nothing to enable
    }
    try {
      const instrumentation = new Ctor();
      if (!enable(instrumentation)) continue;
      instrumentation.manuallyInstrument?.(known.moduleOf(client));
      const required = await deps.requiredModule(known.client);
      if (required) instrumentation.manuallyInstrument?.(required);
      enabled.push({ name: known.package, instrumentation });
    } catch (err) {
      log.warn(`Could not enable ${known.package}: ${String(err)}`);
    }
  }
  if (enabled.length === 0) {
    log.warnOnce(
      "instrument_none",
      `bento.instrument() found no instrumentation to enable. Install one next to its client, e.g. ` +
        KNOWN_INSTRUMENTATIONS.map((k) => `"npm install ${k.package}" for ${k.client}`).join(", or ") +
        `, or pass an instrumentation: bento.instrument(new OpenAIInstrumentation()).`,
    );
  }
  return enabled;
}
