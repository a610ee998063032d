import { type BentoClient, createClient } from "../api/index.js";
import { DEFAULT_BASE_URL, ENV, normalizeBaseUrl } from "../config.js";
import { maskSecret, registerSecret } from "../log.js";
import { type CliConfig, configPath, readConfig } from "./config-file.js";
import type { Io } from "./io.js";
import { UsageError } from "./usage-error.js";
import { verboseFetch } from "./verbose.js";

export type Source = "flag" | "env" | "config" | "default";

export interface Resolved<T> {
  value: T;
  source: Source;
}

/** The CLI's view of who it talks to, resolved lazily so that `--help` and `config` never need a key. */
export interface Settings {
  readonly configPath: string;
  config(): CliConfig;
  /** `--api-key`, then BENTOLABS_API_KEY, then the saved token. */
  apiKey(): Resolved<string> | undefined;
  /** BENTOLABS_BASE_URL, then `config set api-base`, then https://api.bentolabs.ai. */
  baseUrl(): Resolved<string>;
  /** `--workspace`, then `workspaces use`. */
  workspace(): Resolved<string> | undefined;
  /** The workspace, or a usage error saying how to choose one. */
  requireWorkspace(): string;
  /** A client with the resolved key, or with `apiKey` when given (e.g. a key being logged in). */
  client(apiKey?: string): BentoClient;
}

const trimmed = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);

export interface SettingsInput {
  io: Io;
  apiKeyFlag?: string;
  workspaceFlag?: string;
  verbose?: boolean;
  userAgent: string;
}

export function createSettings(input: SettingsInput): Settings {
  const { io } = input;
  const path = configPath(io.env);
  let cached: CliConfig | undefined;
  const config = () => (cached ??= readConfig(path));

  const settings: Settings = {
    configPath: path,
    config,
    apiKey() {
      const flag = trimmed(input.apiKeyFlag);
      const env = trimmed(io.env[ENV.apiKey]);
      const saved = trimmed(config().token);
      const found: Resolved<string> | undefined = flag
        ? { value: flag, source: "flag" }
        : env
          ? { value: env, source: "env" }
          : saved
            ? { value: saved, source: "config" }
            : undefined;
      if (found) registerSecret(found.value);
      return found;
    },
    baseUrl() {
      const env = trimmed(io.env[ENV.baseUrl]);
      const saved = trimmed(config().api_base);
      const raw: Resolved<string> = env
        ? { value: env, source: "env" }
        : saved
          ? { value: saved, source: "config" }
          : { value: DEFAULT_BASE_URL, source: "default" };
      try {
        return { value: normalizeBaseUrl(raw.value), source: raw.source };
      } catch {
        const where = raw.source === "env" ? ENV.baseUrl : `the config file ${path}`;
        throw new UsageError(`Invalid API base URL ${JSON.stringify(raw.value)} from ${where}: it must start with http:// or https://`);
      }
    },
    workspace() {
      const flag = trimmed(input.workspaceFlag);
      if (flag) return { value: flag, source: "flag" };
      const saved = trimmed(config().workspace);
      return saved ? { value: saved, source: "config" } : undefined;
    },
    requireWorkspace() {
      const ws = settings.workspace();
      if (ws) return ws.value;
      throw new UsageError(
        "No workspace selected. Pick one with `bentolabs workspaces use <workspace-id>`, or pass --workspace <workspace-id>.",
      );
    },
    client(apiKey) {
      const key = apiKey ? { value: apiKey } : settings.apiKey();
      if (!key) {
        throw new UsageError(`No API key. Pass --api-key <key>, set ${ENV.apiKey}, or run \`bentolabs auth login --token <key>\`.`);
      }
      return createClient({
        apiKey: key.value,
        baseUrl: settings.baseUrl().value,
        workspace: settings.workspace()?.value,
        userAgent: input.userAgent,
        fetch: input.verbose ? verboseFetch(io, key.value) : undefined,
        env: {},
      });
    },
  };
  return settings;
}

/** A token as `config show` prints it. */
export const maskedToken = (token: string | undefined) => (token ? maskSecret(token) : null);
