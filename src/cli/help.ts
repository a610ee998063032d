import { type CommandSpec, type FlagSpec, GLOBAL_FLAGS, type GroupSpec } from "./spec.js";

function flagUsage(name: string, f: FlagSpec): string {
  return f.type === "boolean" ? `--${name}` : `--${name} <${f.placeholder ?? "value"}>`;
}

function flagTable(flags: Record<string, FlagSpec>): string[] {
  const rows = Object.entries(flags).map(([n, f]) => [`${f.short ? `-${f.short}, ` : ""}${flagUsage(n, f)}`, f.description] as const);
  const width = Math.max(...rows.map(([l]) => l.length));
  return rows.map(([l, d]) => `  ${l.padEnd(width)}  ${d}`);
}

/** The real signature of a command, e.g. `bentolabs credentials get <credential-id> [--output …]`. */
export function signature(cmd: CommandSpec): string {
  const parts = ["bentolabs", ...(cmd.group ? [cmd.group] : []), cmd.name, ...cmd.positionals.map((p) => `<${p}>`)];
  const own = Object.entries(cmd.flags ?? {});
  if (cmd.body) parts.push("[--data <json> | --data-file <path> | < body.json]");
  else for (const [n, f] of own) parts.push(`[${flagUsage(n, f)}]`);
  if (cmd.workspaceScoped) parts.push("[--workspace <id>]");
  parts.push("[--output pretty|raw|table]");
  return parts.join(" ");
}

export function commandHelp(cmd: CommandSpec): string {
  const lines = [`Usage: ${signature(cmd)}`, "", cmd.summary];
  if (cmd.route) lines.push("", `Sends: ${cmd.route}`);
  if (cmd.workspaceScoped) lines.push("Workspace: --workspace <id>, else the default saved by `bentolabs workspaces use <id>`.");
  if (cmd.body) lines.push("Body: JSON from --data, --data-file, or stdin when it is not a terminal.");
  if (cmd.flags) lines.push("", "Options:", ...flagTable(cmd.flags));
  lines.push("", "Global options:", ...flagTable(GLOBAL_FLAGS));
  return lines.join("\n");
}

export function groupHelp(group: GroupSpec): string {
  const width = Math.max(...group.commands.map((c) => c.name.length));
  return [
    `Usage: bentolabs ${group.name} <command> [options]`,
    "",
    group.summary,
    "",
    "Commands:",
    ...group.commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    `Run \`bentolabs ${group.name} <command> --help\` for a command's arguments and HTTP route.`,
  ].join("\n");
}

export function topHelp(groups: GroupSpec[], topLevel: CommandSpec[], extra: Array<[string, string]>): string {
  const rows: Array<[string, string]> = [
    ...groups.map((g) => [`${g.name} <command>`, g.summary] as [string, string]),
    ...topLevel.map((c) => [[c.name, ...c.positionals.map((p) => `<${p}>`)].join(" "), c.summary] as [string, string]),
    ...extra,
  ];
  const width = Math.max(...rows.map(([l]) => l.length));
  return [
    "Usage: bentolabs <group> <command> [POSITIONALS] [options]",
    "",
    "Read your agent's runs, manage Bento trace sources and their scheduled sync, from a terminal, a script or CI.",
    "",
    "Commands:",
    ...rows.map(([l, d]) => `  ${l.padEnd(width)}  ${d}`),
    "",
    "Global options:",
    ...flagTable(GLOBAL_FLAGS),
    "",
    "Exit codes: 0 success, 1 API or network error, 2 invalid usage or input (nothing was sent).",
  ].join("\n");
}
