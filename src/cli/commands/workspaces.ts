import { updateConfig } from "../config-file.js";
import type { GroupSpec } from "../spec.js";
import { UsageError } from "../usage-error.js";

/** `bentolabs workspaces use <id>`: the saved default for workspace-scoped commands. */
export const workspacesGroup: GroupSpec = {
  name: "workspaces",
  summary: "Choose the default workspace",
  commands: [
    {
      group: "workspaces",
      name: "use",
      summary: "Save the default workspace for workspace-scoped commands (--workspace overrides it)",
      positionals: ["workspace-id"],
      run: async ({ settings, args }) => {
        const id = (args["workspace-id"] ?? "").trim();
        if (!id || /[\s/?#]/.test(id)) throw new UsageError(`Invalid workspace id ${JSON.stringify(id)}: no spaces, '/', '?' or '#'.`);
        updateConfig(settings.configPath, (c) => ({ ...c, workspace: id }));
        return { message: `Default workspace is now ${id} (saved in ${settings.configPath}).` };
      },
    },
  ],
};
