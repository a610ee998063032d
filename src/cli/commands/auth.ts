import { BentoApiError, type Whoami } from "../../api/index.js";
import { updateConfig } from "../config-file.js";
import type { CommandContext, GroupSpec } from "../spec.js";
import { UsageError } from "../usage-error.js";

/** A login the server refused, or could not be asked about: exit 1, nothing saved. */
class LoginError extends Error {
  override readonly name = "LoginError";
}

/** `--token`, else a hidden prompt at a terminal, else piped stdin. */
async function readToken({ flags, io }: CommandContext): Promise<string> {
  let token: string;
  if (typeof flags.token === "string") token = flags.token;
  else if (io.stdinIsTTY) token = await io.readSecret("Bento API key (input hidden): ");
  else token = await io.readStdin();
  token = token.trim();
  if (!token) throw new UsageError("auth login needs a token: type it at the prompt, pass --token <token>, or pipe it on stdin.");
  if (/\s/.test(token)) throw new UsageError("The token contains whitespace; paste just the key.");
  return token;
}

/** Ask the server who the token belongs to; a refusal or an unreachable server saves nothing. */
async function verify(ctx: CommandContext, token: string): Promise<Whoami> {
  const base = ctx.settings.baseUrl().value;
  try {
    return await ctx.settings.client(token).auth.whoami();
  } catch (err) {
    if (err instanceof BentoApiError && (err.status === 401 || err.status === 403)) {
      const why = err.serverMessage ? `: ${err.serverMessage}` : "";
      throw new LoginError(`${base} refused this key (HTTP ${err.status}${why}). Nothing was saved; check the key and try again.`);
    }
    const why = err instanceof Error ? err.message : String(err);
    throw new LoginError(
      `Could not check the key against ${base}: ${why}. Nothing was saved; retry, or pass --no-verify to save it unchecked.`,
    );
  }
}

const names = (who: Whoami) => who.workspaces.map((w) => w.id).join(", ") || "none";

/** `bentolabs auth login|logout|whoami`: the saved token and who it belongs to. */
export const authGroup: GroupSpec = {
  name: "auth",
  summary: "Log in with an API key, see who you are, log out",
  commands: [
    {
      group: "auth",
      name: "login",
      summary: "Check a key against the API, then save it (mode 0600); prompts without echo at a terminal, else reads stdin",
      positionals: [],
      route: "GET /auth/whoami (to check the key before saving it)",
      flags: {
        token: {
          type: "string",
          placeholder: "token",
          description: "The API key (bl_pk_…); prefer the prompt or stdin, which keep it out of shell history",
        },
        "no-verify": { type: "boolean", description: "Save without asking the server first (offline use)" },
      },
      run: async (ctx) => {
        const token = await readToken(ctx);
        const who = ctx.flags["no-verify"] === true ? undefined : await verify(ctx, token);
        updateConfig(ctx.settings.configPath, (c) => ({ ...c, token }));
        const path = ctx.settings.configPath;
        if (!who) return { message: `Token saved to ${path} without checking it.` };
        const as = who.principal.name ?? who.principal.id ?? who.principal.type;
        return { message: `Logged in as ${as} (workspaces: ${names(who)}). Token saved to ${path}.\nNext: bentolabs workspaces list` };
      },
    },
    {
      group: "auth",
      name: "whoami",
      summary: "Who the credentials belong to, their workspaces, and the current workspace",
      positionals: [],
      route: "GET /auth/whoami",
      run: async ({ settings }) => {
        const key = settings.apiKey();
        const who = await settings.client().auth.whoami();
        const ws = settings.workspace();
        return {
          data: {
            ...who,
            api_base: settings.baseUrl().value,
            auth_from: key?.source ?? null,
            current_workspace: ws?.value ?? null,
            current_workspace_from: ws?.source ?? null,
          },
        };
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
