import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Copies of shared/langfuse/fixtures (see fixtures/README.md): the seven-trace dataset. */
const dir = fileURLToPath(new URL("./fixtures/", import.meta.url));
export const loadFixture = <T = unknown>(name: string): T => JSON.parse(readFileSync(`${dir}${name}`, "utf8")) as T;

export type RawRecord = Record<string, unknown>;
export const FIXTURE_KEYS = {
  public_key: "pk-lf-7c3e9a41-5d2b-4f8e-9a1c-2b6d8e0f4a37",
  secret_key: "sk-lf-0e5f8a2c-9b14-4c7d-a3e6-51d2f7b9c084",
} as const;
export const FIXTURE_BASE_URL = "https://us.cloud.langfuse.com";

export function dataset() {
  const traces = loadFixture<RawRecord[]>("_all_traces_v1.json");
  const observations = loadFixture<Record<string, RawRecord[]>>("_all_observations_v1.json");
  const scores = loadFixture<Record<string, RawRecord[]>>("_all_scores_v1.json");
  return { traces, observations, scores };
}
