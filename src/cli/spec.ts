import type { Io } from "./io.js";
import type { OutputMode } from "./output.js";
import type { Settings } from "./settings.js";

export interface FlagSpec {
  type: "string" | "boolean";
  /** Shown in usage, e.g. `N` in `--limit <N>`. */
  placeholder?: string;
  short?: string;
  description: string;
}

export type Flags = Record<string, string | boolean | undefined>;

export interface CommandContext {
  /** The command line as given (after `bentolabs`), e.g. to print the next page's command. */
  argv: readonly string[];
  /** Positionals by their declared names. */
  args: Record<string, string>;
  flags: Flags;
  io: Io;
  output: OutputMode;
  settings: Settings;
}

/** What a command hands back: a response body to render, and/or a human message. */
export interface Outcome {
  data?: unknown;
  message?: string;
  /** A command-specific rendering of `data` for `--output table` (else the generic table). */
  table?: (data: unknown) => string;
  /** A list's `next_cursor`: the dispatcher prints the command for the next page. */
  nextCursor?: string | null;
}

/** One `bentolabs <group> <name>` command; the same record drives parsing, help and dispatch. */
export interface CommandSpec {
  /** `undefined` for top-level commands (`version`, `raw`). */
  group?: string;
  name: string;
  summary: string;
  positionals: string[];
  flags?: Record<string, FlagSpec>;
  /** The HTTP request it sends, for `--help`. */
  route?: string;
  /** Takes a JSON body from --data, --data-file or stdin. */
  body?: boolean;
  workspaceScoped?: boolean;
  run(ctx: CommandContext): Promise<Outcome>;
}

export interface GroupSpec {
  name: string;
  summary: string;
  commands: CommandSpec[];
}

export const GLOBAL_FLAGS: Record<string, FlagSpec> = {
  workspace: {
    type: "string",
    placeholder: "id",
    description: "Workspace for workspace-scoped commands (default: `bentolabs workspaces use <id>`)",
  },
  "api-key": {
    type: "string",
    placeholder: "key",
    description: "Bearer token (default: BENTOLABS_API_KEY, then the token saved by `auth login`)",
  },
  output: {
    type: "string",
    placeholder: "pretty|raw|table",
    description: "pretty = indented JSON (default), raw = one-line JSON for jq, table = columns",
  },
  verbose: { type: "boolean", description: "Print each request (method, URL, masked body) to stderr" },
  help: { type: "boolean", short: "h", description: "Show help for this command" },
};

export const BODY_FLAGS: Record<string, FlagSpec> = {
  data: { type: "string", placeholder: "json", description: "Request body as JSON text" },
  "data-file": { type: "string", placeholder: "path", description: "Read the JSON body from a file (`-` = stdin)" },
};
