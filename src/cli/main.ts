import { parseArgs } from "node:util";
import { BentoApiError, BentoAuthError, BentoConfigError, BentoValidationError } from "../api/index.js";
import { authGroup } from "./commands/auth.js";
import { configGroup } from "./commands/config.js";
import { credentialsGroup } from "./commands/credentials.js";
import { syncGroup } from "./commands/sync.js";
import { rawCommand, versionCommand } from "./commands/top-level.js";
import { tracesGroup } from "./commands/traces.js";
import { workspacesGroup } from "./commands/workspaces.js";
import { MCP_MODULE, runDevCommand } from "./dev-bridge.js";
import { commandHelp, groupHelp, signature, topHelp } from "./help.js";
import { type Io, processIo } from "./io.js";
import { nextPageCommand } from "./next-page.js";
import { parseOutputMode, render } from "./output.js";
import { createSettings } from "./settings.js";
import { type CommandSpec, type FlagSpec, type Flags, GLOBAL_FLAGS, type GroupSpec } from "./spec.js";
import { EXIT, UsageError } from "./usage-error.js";
import { VERSION } from "./version.js";

export const GROUPS: GroupSpec[] = [authGroup, workspacesGroup, tracesGroup, credentialsGroup, syncGroup, configGroup];
export const TOP_LEVEL: CommandSpec[] = [versionCommand, rawCommand];
const DEV_HELP: [string, string] = ["dev", "Local development server (when included in this build)"];
const MCP_HELP: [string, string] = ["mcp", "MCP server on stdio: coding agents query the dev server's runs"];

const ALL_FLAGS: Record<string, FlagSpec> = Object.assign(
  {},
  GLOBAL_FLAGS,
  ...GROUPS.flatMap((g) => g.commands.map((c) => c.flags ?? {})),
  ...TOP_LEVEL.map((c) => c.flags ?? {}),
);

/** Indices of the positional tokens, skipping flag values, before strict parsing knows the command. */
function positionalIndices(argv: string[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i] ?? "";
    if (t === "--") return [...out, ...argv.slice(i + 1).map((_, j) => i + 1 + j)];
    if (t.startsWith("--")) {
      if (!t.includes("=") && ALL_FLAGS[t.slice(2)]?.type === "string") i++;
    } else if (!t.startsWith("-") || t === "-") out.push(i);
  }
  return out;
}

function findCommand(words: string[]): { cmd?: CommandSpec; group?: GroupSpec; depth: number } {
  const [first, second] = words;
  const top = TOP_LEVEL.find((c) => c.name === first);
  if (top) return { cmd: top, depth: 1 };
  const group = GROUPS.find((g) => g.name === first);
  if (!group) {
    if (first === undefined) return { depth: 0 };
    throw new UsageError(`Unknown command ${JSON.stringify(first)}. Run \`bentolabs --help\` for the list.`);
  }
  const cmd = group.commands.find((c) => c.name === second);
  if (second !== undefined && !cmd) {
    throw new UsageError(
      `Unknown command ${JSON.stringify(`${group.name} ${second}`)}; ${group.name} has: ${group.commands.map((c) => c.name).join(", ")}.`,
    );
  }
  return { cmd, group, depth: 2 };
}

function parseFor(cmd: CommandSpec, argv: string[]): { flags: Flags; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...GLOBAL_FLAGS, ...cmd.flags },
      allowPositionals: true,
      strict: true,
    });
    return { flags: values as Flags, positionals };
  } catch (e) {
    throw new UsageError((e as Error).message, `Usage: ${signature(cmd)}`);
  }
}

/** True when argv runs `bentolabs dev`, which owns the process lifetime (a server keeps running). */
export function isDevInvocation(argv: string[]): boolean {
  const first = positionalIndices(argv)[0];
  return first !== undefined && (argv[first] === "dev" || argv[first] === "mcp"); // mcp: a stdio server
}

async function dispatch(argv: string[], io: Io): Promise<number> {
  const idx = positionalIndices(argv);
  if (isDevInvocation(argv)) {
    const rest = argv.filter((_, i) => i !== idx[0]);
    return argv[idx[0]!] === "mcp" ? runDevCommand(rest, io, MCP_MODULE, "runMcp") : runDevCommand(rest, io);
  }
  const words = idx.map((i) => argv[i] ?? "");
  const wantsHelp = argv.includes("--help") || argv.includes("-h");
  const { cmd, group } = findCommand(words);
  if (!cmd) {
    const help = group ? groupHelp(group) : topHelp(GROUPS, TOP_LEVEL, [DEV_HELP, MCP_HELP]);
    if (wantsHelp) return (io.out(help), EXIT.ok);
    if (!group && argv.includes("--version")) return (io.out(`bentolabs ${VERSION}`), EXIT.ok);
    io.err(help);
    return EXIT.usage;
  }
  if (wantsHelp) return (io.out(commandHelp(cmd)), EXIT.ok);
  const { flags, positionals } = parseFor(cmd, argv);
  const given = positionals.slice(cmd.group ? 2 : 1);
  if (given.length !== cmd.positionals.length) {
    const missing = cmd.positionals.slice(given.length).map((p) => `<${p}>`);
    const why = missing.length ? `Missing ${missing.join(" ")}` : `Unexpected argument ${JSON.stringify(given[cmd.positionals.length])}`;
    throw new UsageError(`${why}.`, `Usage: ${signature(cmd)}`);
  }
  const output = parseOutputMode(flags.output as string | undefined);
  const settings = createSettings({
    io,
    apiKeyFlag: flags["api-key"] as string | undefined,
    workspaceFlag: flags.workspace as string | undefined,
    verbose: flags.verbose === true,
    userAgent: `bentolabs-cli/${VERSION}`,
  });
  const args = Object.fromEntries(cmd.positionals.map((p, i) => [p, given[i] ?? ""]));
  const outcome = await cmd.run({ argv, args, flags, io, output, settings });
  if (outcome.data !== undefined) io.out(output === "table" && outcome.table ? outcome.table(outcome.data) : render(outcome.data, output));
  if (outcome.message !== undefined) (output === "raw" ? io.err : io.out)(outcome.message);
  if (outcome.nextCursor) {
    // table: part of the human output; pretty: stderr, so stdout stays one JSON document
    const hint = `Next page: ${nextPageCommand(argv, outcome.nextCursor)}`;
    if (output === "table") io.out(`\n${hint}`);
    else if (output === "pretty") io.err(hint);
  }
  return EXIT.ok;
}

function report(e: unknown, io: Io): number {
  if (e instanceof UsageError) {
    io.err(`error: ${e.message}`);
    if (e.usage) io.err(e.usage);
    return EXIT.usage;
  }
  if (e instanceof BentoValidationError || e instanceof BentoAuthError || e instanceof BentoConfigError) {
    io.err(`error: ${e.message}`);
    return EXIT.usage;
  }
  if (e instanceof BentoApiError) {
    io.err(`error: ${e.message}`);
    if (e.status === 401 || e.status === 403)
      io.err("hint: check --api-key, BENTOLABS_API_KEY or `bentolabs auth login`, and that the key belongs to this workspace.");
    return EXIT.failed;
  }
  io.err(`error: ${e instanceof Error ? e.message : String(e)}`);
  return EXIT.failed;
}

/**
 * Run the `bentolabs` command line and resolve to its exit code: 0 success, 1 API or network
 * failure, 2 invalid usage or input (in which case nothing was sent).
 */
export async function run(argv: string[], io: Io = processIo()): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    return report(e, io);
  }
}
