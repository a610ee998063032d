import { updateConfig } from "../config-file.js";
import type { GroupSpec } from "../spec.js";
import { UsageError } from "../usage-error.js";

/** `bentolabs auth login|logout`: the saved token (used when --api-key and BENTOLABS_API_KEY are absent). */
export const authGroup: GroupSpec = {
  name: "auth",
  summary: "Save or remove the API token",
  commands: [
    {
      group: "auth",
      name: "login",
      summary: "Save a token to the config file (mode 0600); pipe it on stdin to keep it out of shell history",
      positionals: [],
      flags: { token: { type: "string", placeholder: "token", description: "The workspace API key (bl_pk_…)" } },
      run: async ({ settings, flags, io }) => {
        let token = typeof flags.token === "string" ? flags.token.trim() : undefined;
        if (token === undefined && !io.stdinIsTTY) token = (await io.readStdin()).trim();
        if (!token) throw new UsageError("auth login needs a token: pass --token <token> or pipe it on stdin.");
        if (/\s/.test(token)) throw new UsageError("The token contains whitespace; paste just the key.");
        updateConfig(settings.configPath, (c) => ({ ...c, token }));
        return { message: `Token saved to ${settings.configPath}.` };
      },
    },
    {
      group: "auth",
      name: "logout",
      summary: "Remove the saved token from the config file",
      positionals: [],
      run: async ({ settings }) => {
        const had = Boolean(settings.config().token);
        updateConfig(settings.configPath, (c) => ({ ...c, token: undefined }));
        return { message: had ? `Token removed from ${settings.configPath}.` : "No token was saved." };
      },
    },
  ],
};
