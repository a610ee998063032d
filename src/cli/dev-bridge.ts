import type { Io } from "./io.js";

/**
 * Where `bentolabs dev` lives, resolved relative to the running file (dist/cli.js in a build):
 * the tsup entry `dev/cli` (src/dev/cli.ts, exporting `runDev(argv): Promise<number>`).
 * Loaded lazily so the other commands never pay for the embedded database; not a literal
 * inside import() so that the bundler leaves it to runtime.
 */
export const DEV_MODULE: string = "./dev/cli.js";

interface DevModule {
  runDev(argv: string[]): Promise<number>;
}

/** Hand `bentolabs dev …` over to the dev module, or say plainly that this build lacks it. */
export async function runDevCommand(argv: string[], io: Io, specifier: string = DEV_MODULE): Promise<number> {
  let mod: Partial<DevModule>;
  try {
    mod = (await import(specifier)) as Partial<DevModule>;
  } catch {
    mod = {};
  }
  if (typeof mod.runDev !== "function") {
    io.err("bentolabs dev is not available in this build");
    return 1;
  }
  return mod.runDev(argv);
}
