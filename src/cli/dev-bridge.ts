import type { Io } from "./io.js";

/**
 * Where `bentolabs dev` lives, resolved relative to the running file (dist/cli.js in a build):
 * the tsup entry `dev/cli` (src/dev/cli.ts, exporting `runDev(argv): Promise<number>`).
 * Loaded lazily so the other commands never pay for the embedded database; not a literal
 * inside import() so that the bundler leaves it to runtime.
 */
export const DEV_MODULE: string = "./dev/cli.js";

/** `bentolabs mcp` (src/mcp/cli.ts, exporting `runMcp(argv)`), loaded the same way. */
export const MCP_MODULE: string = "./mcp/cli.js";

type DevModule = Record<string, ((argv: string[]) => Promise<number>) | undefined>;

/** Hand `bentolabs dev …` over to the dev module, or say plainly that this build lacks it. */
export async function runDevCommand(argv: string[], io: Io, specifier: string = DEV_MODULE, entry = "runDev"): Promise<number> {
  let mod: Partial<DevModule>;
  try {
    mod = (await import(specifier)) as Partial<DevModule>;
  } catch {
    mod = {};
  }
  const run = mod[entry];
  if (typeof run !== "function") {
    io.err(`bentolabs ${entry === "runMcp" ? "mcp" : "dev"} is not available in this build`);
    return 1;
  }
  return run(argv);
}
