import { normalizeBaseUrl } from "../../config.js";
import { updateConfig } from "../config-file.js";
import { maskedToken } from "../settings.js";
import type { GroupSpec } from "../spec.js";
import { UsageError } from "../usage-error.js";

const SETTABLE = ["api-base"] as const;

/** `bentolabs config show|set`: what the CLI will use, and where it is saved. */
export const configGroup: GroupSpec = {
  name: "config",
  summary: "Show or change the CLI's saved settings",
  commands: [
    {
      group: "config",
      name: "show",
      summary: "Show the effective settings, where each comes from, and the config file path (the token is masked)",
      positionals: [],
      run: async ({ settings }) => {
        const base = settings.baseUrl();
        const key = settings.apiKey();
        const ws = settings.workspace();
        return {
          data: {
            config_file: settings.configPath,
            api_base: base.value,
            api_base_from: base.source,
            workspace: ws?.value ?? null,
            workspace_from: ws?.source ?? null,
            token: maskedToken(key?.value),
            auth_from: key?.source ?? null,
          },
        };
      },
    },
    {
      group: "config",
      name: "set",
      summary: `Save a setting; the only settable key is ${SETTABLE.join(", ")} (BENTOLABS_BASE_URL still wins when set)`,
      positionals: ["key", "value"],
      run: async ({ settings, args }) => {
        const key = args.key ?? "";
        if (!(SETTABLE as readonly string[]).includes(key)) {
          throw new UsageError(`Unknown config key ${JSON.stringify(key)}: the only settable key is ${SETTABLE.join(", ")}.`);
        }
        let url: string;
        try {
          url = normalizeBaseUrl(args.value ?? "");
        } catch {
          throw new UsageError(`api-base must be an http:// or https:// URL (got ${JSON.stringify(args.value)}).`);
        }
        updateConfig(settings.configPath, (c) => ({ ...c, api_base: url }));
        return { message: `api-base = ${url} (saved in ${settings.configPath}).` };
      },
    },
  ],
};
