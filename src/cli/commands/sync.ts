import type { SyncSettingsUpdate } from "../../api/index.js";
import { requireBody } from "../body.js";
import { positiveInt, str } from "../flags.js";
import { BODY_FLAGS, type GroupSpec } from "../spec.js";

const ID = "credential-id";

/** `bentolabs sync …`: the workspace's import schedule, per-credential status, reports, doctor. */
export const syncGroup: GroupSpec = {
  name: "sync",
  summary: "Watch and tune the scheduled import (there is no manual 'sync now')",
  commands: [
    {
      group: "sync",
      name: "get-workspace-settings",
      summary: "Show the schedule: schedule_enabled, frequency_minutes, next_run_at, max_traces_per_sync",
      positionals: [],
      route: "GET /workspaces/{ws}/sync-settings",
      workspaceScoped: true,
      run: async ({ settings }) => {
        const workspace = settings.requireWorkspace();
        return { data: await settings.client().sync.getWorkspaceSettings({ workspace }) };
      },
    },
    {
      group: "sync",
      name: "update-workspace-settings",
      summary:
        "Change schedule fields (send only the changed ones: schedule_enabled, frequency_minutes 15-10080, next_run_at (ISO-8601, future), max_traces_per_sync 5000-10000)",
      positionals: [],
      flags: BODY_FLAGS,
      body: true,
      route: "PATCH /workspaces/{ws}/sync-settings",
      workspaceScoped: true,
      run: async ({ settings, flags, io }) => {
        const workspace = settings.requireWorkspace();
        const body = (await requireBody(flags, io, "sync update-workspace-settings")) as SyncSettingsUpdate;
        return { data: await settings.client().sync.updateWorkspaceSettings(body, { workspace }) };
      },
    },
    {
      group: "sync",
      name: "status",
      summary: "Import state of one credential: idle, running, ok, fail or partial",
      positionals: [ID],
      route: "GET /credentials/{credential_id}/sync/status",
      run: async ({ settings, args }) => ({ data: await settings.client().sync.status(args[ID] ?? "") }),
    },
    {
      group: "sync",
      name: "list-workspace-reports",
      summary: "Completed import runs with created/updated/skipped/failed counts",
      positionals: [],
      flags: { limit: { type: "string", placeholder: "N", description: "Only the N most recent reports" } },
      route: "GET /workspaces/{ws}/sync-reports?limit=N",
      workspaceScoped: true,
      run: async ({ settings, flags }) => {
        const limit = positiveInt("limit", flags.limit);
        const workspace = settings.requireWorkspace();
        return { data: await settings.client().sync.listWorkspaceReports({ workspace, limit }) };
      },
    },
    {
      group: "sync",
      name: "get-doctor",
      summary: "Import health across all credentials, including upstream reachability",
      positionals: [],
      flags: {
        "from-date": { type: "string", placeholder: "D", description: "Start of the window (YYYY-MM-DD or ISO-8601)" },
        "to-date": { type: "string", placeholder: "D", description: "End of the window (YYYY-MM-DD or ISO-8601)" },
      },
      route: "GET /workspaces/{ws}/sync-doctor?from_date=D&to_date=D",
      workspaceScoped: true,
      run: async ({ settings, flags }) => {
        const workspace = settings.requireWorkspace();
        const doctor = settings.client().sync.getDoctor({ workspace, fromDate: str(flags["from-date"]), toDate: str(flags["to-date"]) });
        return { data: await doctor };
      },
    },
  ],
};
