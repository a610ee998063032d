import { createLangfuseClient, type LangfuseClient, type LangfuseClientOptions } from "./langfuse/client.js";
import { LangfuseError } from "./langfuse/errors.js";

/** Why a probe failed, for the doctor's advice; `ok` when it did not. */
export type HealthCode =
  | "ok"
  | "invalid_base_url"
  | "invalid_credentials"
  | "wrong_key_type"
  | "not_langfuse"
  | "unreachable"
  | "upstream_error";

export interface HealthResult {
  status: "ok" | "fail";
  code: HealthCode;
  /** Did a Langfuse server answer at base_url at all (health endpoint or an authenticated route)? */
  reachable: boolean;
  /** Human-readable: what happened and what to do. Never contains the secret. */
  message: string;
  project?: { id: string; name: string; organization?: string };
  checked_at: string;
}

interface Projects {
  data?: { id?: string; name?: string; organization?: { name?: string } }[];
}

/**
 * Probe a Langfuse credential: `GET /api/public/projects` with Basic auth (never rate-limited on
 * Cloud). When that fails, unauthenticated `GET /api/public/health` tells "wrong keys" (Langfuse
 * answers) apart from "wrong base_url / Langfuse down" (it does not). Never throws.
 */
export async function checkHealth(
  config: { public_key: string; secret_key: string; base_url: string },
  options: LangfuseClientOptions & { now?: () => number; client?: LangfuseClient } = {},
): Promise<HealthResult> {
  const checked_at = new Date((options.now ?? Date.now)()).toISOString();
  const fail = (code: HealthCode, reachable: boolean, message: string): HealthResult => ({
    status: "fail",
    code,
    reachable,
    message,
    checked_at,
  });
  let client: LangfuseClient;
  try {
    client = options.client ?? createLangfuseClient(config, { retries: 1, timeoutMs: 8_000, maxResponseBytes: 1024 * 1024, ...options });
  } catch (err) {
    return fail("invalid_base_url", false, err instanceof Error ? err.message : String(err));
  }
  try {
    const res = await client.get<Projects>("/api/public/projects");
    const p = Array.isArray(res.data) ? res.data[0] : undefined;
    if (!p?.id)
      return fail(
        "wrong_key_type",
        true,
        "Langfuse accepted the keys but returned no project; use a project API key (Project settings → API keys).",
      );
    const project = { id: p.id, name: p.name ?? p.id, ...(p.organization?.name ? { organization: p.organization.name } : {}) };
    const org = project.organization ? ` (organization ${project.organization})` : "";
    return {
      status: "ok",
      code: "ok",
      reachable: true,
      message: `Connected to Langfuse project "${project.name}"${org}.`,
      project,
      checked_at,
    };
  } catch (err) {
    const e = err instanceof LangfuseError ? err : new LangfuseError({ code: "network_error", message: String(err) });
    const probe = await probeHealth(client);
    const alive = probe === "ok";
    if (typeof probe === "object")
      return fail(
        "upstream_error",
        true,
        `Langfuse at ${client.baseUrl} reports it is unhealthy (HTTP ${probe.status}: ${probe.reason}); try again later.`,
      );
    if (e.code === "unauthorized" && alive) {
      return fail(
        "invalid_credentials",
        true,
        `Langfuse at ${client.baseUrl} rejected the keys (HTTP 401). Check public_key/secret_key, and that they belong to this host/region (EU keys do not work on us.cloud.langfuse.com).`,
      );
    }
    if (e.code === "forbidden")
      return fail(
        "wrong_key_type",
        true,
        `Langfuse refused the key (HTTP 403): it looks like an organization key; create a project API key instead.`,
      );
    if (!alive) {
      const why =
        e.code === "network_error" || e.code === "timeout"
          ? e.message
          : `GET /api/public/health did not answer like Langfuse (${e.message})`;
      return fail(
        e.code === "network_error" || e.code === "timeout" ? "unreachable" : "not_langfuse",
        false,
        `No Langfuse API at ${client.baseUrl}: ${why}. Check base_url (e.g. https://cloud.langfuse.com, https://us.cloud.langfuse.com or your self-hosted origin).`,
      );
    }
    return fail("upstream_error", true, `Langfuse at ${client.baseUrl} answered but the check failed: ${e.message}`);
  }
}

/** "ok" when Langfuse's liveness probe answers, its reason when Langfuse says it is down, else "absent". */
async function probeHealth(client: LangfuseClient): Promise<"ok" | "absent" | { status: number; reason: string }> {
  try {
    const res = await client.health();
    const body = res.body as { status?: unknown; version?: unknown } | null;
    if (typeof body !== "object" || body === null || typeof body.status !== "string") return "absent";
    return res.status === 200 ? "ok" : { status: res.status, reason: body.status };
  } catch {
    return "absent";
  }
}
