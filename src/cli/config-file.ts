import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { UsageError } from "./usage-error.js";

/** What `bentolabs` remembers between runs. */
export interface CliConfig {
  /** Set by `config set api-base <url>`. */
  api_base?: string;
  /** Set by `auth login --token`; never printed. */
  token?: string;
  /** Set by `workspaces use <id>`. */
  workspace?: string;
}

/** `$XDG_CONFIG_HOME/bentolabs/config.json`, else `~/.config/bentolabs/config.json`. */
export function configPath(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CONFIG_HOME?.trim();
  const base = xdg?.startsWith("/") ? xdg : join(env.HOME?.trim() || homedir(), ".config");
  return join(base, "bentolabs", "config.json");
}

export function readConfig(path: string): CliConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new UsageError(`Cannot read the config file ${path}: ${(e as Error).message}`);
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as CliConfig;
  } catch {
    // fall through to the error below
  }
  throw new UsageError(`The config file ${path} is not a JSON object; fix or delete it.`);
}

/**
 * Write the whole config atomically (temp file + rename). The directory is created with mode
 * 0700 and the file with 0600, because it may hold a token; an existing file is re-chmodded.
 */
export function writeConfig(path: string, config: CliConfig): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  const clean = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined));
  writeFileSync(tmp, `${JSON.stringify(clean, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** Read, change, write. */
export function updateConfig(path: string, change: (c: CliConfig) => CliConfig): CliConfig {
  const next = change(readConfig(path));
  writeConfig(path, next);
  return next;
}
