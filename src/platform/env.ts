/**
 * The environment the SDK reads its settings from: `process.env` where there is one, plus the
 * string bindings a Cloudflare Worker receives as `env` (given by `withWorker`), which win.
 * Kept apart from the platform object so that importing the logger pulls in nothing else.
 */
let provided: Record<string, string> | undefined;

export function hostEnv(): Record<string, string | undefined> {
  const processEnv = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  if (!provided) return processEnv ?? {};
  return { ...processEnv, ...provided };
}

/** Add string-valued bindings (a Worker's `env`) to the environment; other values are ignored. */
export function provideEnv(bindings: unknown): void {
  if (!bindings || typeof bindings !== "object") return;
  const strings: Record<string, string> = {};
  for (const [k, v] of Object.entries(bindings)) if (typeof v === "string") strings[k] = v;
  provided = { ...provided, ...strings };
}
