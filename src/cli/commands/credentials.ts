import type { CredentialCreate, CredentialUpdate } from "../../api/index.js";
import { requireBody } from "../body.js";
import { BODY_FLAGS, type GroupSpec } from "../spec.js";

const ID = "credential-id";

/** `bentolabs credentials …`: connect, inspect, rotate and remove external trace sources. */
export const credentialsGroup: GroupSpec = {
  name: "credentials",
  summary: "Connect external trace sources (Langfuse projects) to a workspace",
  commands: [
    {
      group: "credentials",
      name: "list",
      summary: "List the workspace's credentials",
      positionals: [],
      route: "GET /workspaces/{ws}/credentials",
      workspaceScoped: true,
      run: async ({ settings }) => {
        const workspace = settings.requireWorkspace();
        return { data: await settings.client().credentials.list({ workspace }) };
      },
    },
    {
      group: "credentials",
      name: "get",
      summary: "Show one credential (its config comes back without the secret)",
      positionals: [ID],
      route: "GET /credentials/{credential_id}",
      run: async ({ settings, args }) => ({ data: await settings.client().credentials.get(args[ID] ?? "") }),
    },
    {
      group: "credentials",
      name: "create",
      summary: "Connect a source; the server runs a health check and schedules the first import at once",
      positionals: [],
      flags: BODY_FLAGS,
      body: true,
      route: "POST /workspaces/{ws}/credentials",
      workspaceScoped: true,
      run: async ({ settings, flags, io }) => {
        const workspace = settings.requireWorkspace();
        const body = (await requireBody(flags, io, "credentials create")) as CredentialCreate;
        return { data: await settings.client().credentials.create(body, { workspace }) };
      },
    },
    {
      group: "credentials",
      name: "update",
      summary: "Replace a credential's whole config (e.g. to rotate keys)",
      positionals: [ID],
      flags: BODY_FLAGS,
      body: true,
      route: "PUT /credentials/{credential_id}",
      run: async ({ settings, flags, io, args }) => {
        const body = (await requireBody(flags, io, "credentials update")) as CredentialUpdate;
        return { data: await settings.client().credentials.update(args[ID] ?? "", body) };
      },
    },
    {
      group: "credentials",
      name: "delete",
      summary: "Remove a credential; its scheduled imports stop",
      positionals: [ID],
      route: "DELETE /credentials/{credential_id}",
      run: async ({ settings, args }) => {
        await settings.client().credentials.delete(args[ID] ?? "");
        return { message: `Deleted credential ${args[ID]}.` };
      },
    },
    {
      group: "credentials",
      name: "run-health-check",
      summary: "Probe the source now (connectivity and keys); does not start an import",
      positionals: [ID],
      route: "POST /credentials/{credential_id}/health-check",
      run: async ({ settings, args }) => ({ data: await settings.client().credentials.runHealthCheck(args[ID] ?? "") }),
    },
  ],
};
