import type { Doctor, DoctorCredential } from "../api/types.js";
import { validateDate } from "../api/validate.js";
import { validated } from "./errors.js";
import type { HealthResult } from "./health.js";
import type { StoredReport, SyncStore } from "./store.js";
import type { StoredCredential } from "./types.js";

export interface DoctorCredentialReport extends DoctorCredential {
  base_url: string;
  last_health_error: string | null;
  /** The error seen when probing the upstream just now, if any. */
  upstream_error: string | null;
  last_run_at: string | null;
  partial_runs: number;
  /** The most useful next step, or null when nothing needs doing. */
  suggested_fix: string | null;
}

export interface DoctorReport extends Doctor {
  credentials: DoctorCredentialReport[];
}

interface DoctorDeps {
  store: SyncStore;
  probe: (config: StoredCredential["config"]) => Promise<HealthResult>;
  now: number;
}

const DAY = 24 * 60 * 60 * 1000;

/** `YYYY-MM-DD` means the whole day: a `to_date` day is included. */
function bound(value: string | null, field: string, end: boolean): string | null {
  if (value === null) return null;
  const v = validated(() => validateDate(value, field));
  const dayOnly = /^\d{4}-\d{2}-\d{2}$/.test(v);
  const t = Date.parse(dayOnly ? `${v}T00:00:00Z` : v) + (dayOnly && end ? DAY : 0);
  return new Date(t).toISOString();
}

/**
 * Import health across a workspace's credentials: a live upstream probe per credential (in
 * parallel), the runs in the window and what failed, and one suggested fix each.
 */
export async function buildDoctor(ws: string, deps: DoctorDeps, fromDate: string | null, toDate: string | null): Promise<DoctorReport> {
  const from = bound(fromDate, "from_date", false) ?? new Date(deps.now - 7 * DAY).toISOString();
  const to = bound(toDate, "to_date", true) ?? new Date(deps.now + 1).toISOString();
  const settings = await deps.store.getSettings(ws);
  const creds = await deps.store.listCredentials(ws);
  const entries = await Promise.all(
    creds.map(async (c): Promise<DoctorCredentialReport> => {
      const [probe, state, reports] = await Promise.all([
        deps.probe(c.config),
        deps.store.getState(c.id),
        deps.store.listReports({ credentialId: c.id, from, to }),
      ]);
      const failed = reports.filter((r) => r.status === "fail");
      const partial = reports.filter((r) => r.status === "partial");
      const problems: string[] = [];
      if (probe.status === "fail") problems.push(probe.message);
      for (const r of [...failed, ...partial].slice(0, 5))
        problems.push(`${r.started_at} ${r.status}: ${r.errors[0]?.message ?? "no detail"}`);
      if (!settings.schedule_enabled) problems.push("The workspace schedule is disabled: nothing is imported.");
      return {
        credential_id: c.id,
        source_type: c.source_type,
        base_url: c.config.base_url,
        last_health_status: c.last_health_status,
        last_health_error: c.last_health_error,
        upstream_reachable: probe.reachable,
        upstream_error: probe.status === "ok" ? null : probe.message,
        sync_status: state?.status ?? "idle",
        last_success_at: state?.last_success_at ?? null,
        last_run_at: state?.last_run_started_at ?? null,
        runs: reports.length,
        failed_runs: failed.length,
        partial_runs: partial.length,
        problems,
        suggested_fix: suggestFix(c, probe, reports, settings.schedule_enabled),
      };
    }),
  );
  const healthy = entries.every((e) => e.suggested_fix === null);
  return { workspace_id: ws, from_date: from, to_date: to, healthy, credentials: entries };
}

function suggestFix(c: StoredCredential, probe: HealthResult, reports: StoredReport[], enabled: boolean): string | null {
  const update = `bentolabs credentials update ${c.id} --data '{"source_type":"langfuse","config":{"public_key":"pk-lf-…","secret_key":"sk-lf-…","base_url":"…"}}'`;
  switch (probe.code) {
    case "invalid_credentials":
    case "wrong_key_type":
      return `Langfuse rejects these keys: create a project API key in Langfuse (Settings → API keys) for ${c.config.base_url} and rotate it with ${update}`;
    case "not_langfuse":
    case "invalid_base_url":
      return `base_url does not point at a Langfuse API: set it to your Langfuse origin (e.g. https://cloud.langfuse.com) with ${update}`;
    case "unreachable":
      return `Langfuse at ${c.config.base_url} cannot be reached from this machine: check the network/VPN/proxy, then run bentolabs credentials run-health-check ${c.id}`;
    case "upstream_error":
      return `Langfuse answered with an error; retry later (bentolabs credentials run-health-check ${c.id}) or check Langfuse's status page.`;
    default:
      break;
  }
  if (!enabled) return `Enable the schedule: bentolabs sync update-workspace-settings --data '{"schedule_enabled":true}'`;
  const messages = reports
    .filter((r) => r.status !== "ok")
    .flatMap((r) => r.errors.map((e) => e.message))
    .join("\n");
  if (/HTTP 429|rate limit/i.test(messages))
    return "Langfuse rate-limited the import: raise frequency_minutes or lower max_traces_per_sync (bentolabs sync update-workspace-settings), or upgrade the Langfuse plan.";
  if (/max_traces_per_sync/.test(messages))
    return "Runs stop at max_traces_per_sync: raise it (up to 10000) or run more often so each run has less to import.";
  if (/timed out|HTTP 5\d\d|HTTP 524|narrow your request/i.test(messages))
    return "Langfuse timed out or failed on large reads: the next runs retry automatically; if it persists, run more often so each window is smaller.";
  if (reports.some((r) => r.status !== "ok"))
    return "Some traces failed to import: see the errors in bentolabs sync list-workspace-reports; they are retried while inside the overlap window.";
  return null;
}
