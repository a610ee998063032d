import { BentoApiError, type Workspace } from "../../api/index.js";
import { updateConfig } from "../config-file.js";
import type { GroupSpec } from "../spec.js";
import { UsageError } from "../usage-error.js";

/** `workspaces use` with an id the key cannot use, or that could not be checked: exit 1, nothing saved. */
class WorkspaceCheckError extends Error {
  override readonly name = "WorkspaceCheckError";
}

function checkIdShape(id: string): string {
  if (!id || /[\s/?#]/.test(id)) throw new UsageError(`Invalid workspace id ${JSON.stringify(id)}: no spaces, '/', '?' or '#'.`);
  return id;
}

/** `bentolabs workspaces list|use`: the workspaces the key can use, and the saved default. */
export const workspacesGroup: GroupSpec = {
  name: "workspaces",
  summary: "List your workspaces and choose the default one",
  commands: [
    {
      group: "workspaces",
      name: "list",
      summary: "List the workspaces the API key can use",
      positionals: [],
      route: "GET /workspaces",
      run: async ({ settings }) => ({ data: await settings.client().workspaces.list() }),
    },
    {
      group: "workspaces",
      name: "use",
      summary: "Save the default workspace after checking it is in `workspaces list` (--workspace overrides it per command)",
      positionals: ["workspace-id"],
      route: "GET /workspaces (to check the id before saving it)",
      flags: {
        force: {
          type: "boolean",
          description: "Save without checking against the server (offline use, or a workspace you are about to join)",
        },
      },
      run: async ({ settings, args, flags }) => {
        const id = checkIdShape((args["workspace-id"] ?? "").trim());
        if (flags.force !== true) {
          let known: Workspace[];
          try {
            known = (await settings.client().workspaces.list()).items;
          } catch (err) {
            if (!(err instanceof BentoApiError) || err.status !== undefined) throw err;
            // unreachable or timed out: say how to save it anyway
            throw new WorkspaceCheckError(`${err.message}. Nothing was saved; pass --force to save ${id} without checking.`);
          }
          if (!known.some((w) => w.id === id)) {
            const ids = known.map((w) => w.id).join(", ") || "none";
            throw new WorkspaceCheckError(
              `Unknown workspace ${JSON.stringify(id)}: this key can use ${ids}. Nothing was saved; run \`bentolabs workspaces list\`, or pass --force to save it anyway.`,
            );
          }
        }
        updateConfig(settings.configPath, (c) => ({ ...c, workspace: id }));
        return { message: `Default workspace is now ${id} (saved in ${settings.configPath}).` };
      },
    },
  ],
};
