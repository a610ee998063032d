import { expect } from "vitest";
import type { CliResult } from "./run-cli.js";

/** Values that must never appear in any CLI output. */
export const API_KEY = "bl_pk_test_cli_0123456789abcdef";
export const SECRET_KEY = "sk-lf-super-secret-value-9876";
export const SAVED_TOKEN = "bl_pk_saved_token_fedcba9876543210";

export function expectNoSecrets(result: CliResult, extra: string[] = []): void {
  for (const s of [API_KEY, SECRET_KEY, SAVED_TOKEN, "sk-lf-seed-secret-0001", ...extra]) {
    expect(result.stdout, "stdout leaks a secret").not.toContain(s);
    expect(result.stderr, "stderr leaks a secret").not.toContain(s);
  }
}

/** What the CLI should print for a response: every `secret_key` shown as `…` + its last 4 chars. */
export function masked(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(masked);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, k === "secret_key" && typeof v === "string" ? `…${v.slice(-4)}` : masked(v)]),
  );
}
