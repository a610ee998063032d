import { maskSecret, registerSecret } from "../log.js";

/**
 * Field names whose string values are secrets wherever they appear: `secret_key`, `password`,
 * `token`, `api_key`, `authorization`, … (`public_key` and numeric counts such as
 * `input_tokens: 12` stay visible).
 */
const SECRET_NAME =
  /secret|passw(or)?d|passphrase|token|api[-_]?key|authori[sz]ation|private[-_]?key|access[-_]?key|cookie|session[-_]?key/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** A deep copy of `value` with every secret-named string replaced by its masked form. */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (!value || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = typeof v === "string" && v && isSecretName(k) ? maskSecret(v) : maskSecrets(v);
  }
  return out;
}

/**
 * Remember every secret-named string of an outgoing body so that the output layer masks it
 * even where a server echoes it back under another name.
 */
export function registerSecretsIn(value: unknown): void {
  if (Array.isArray(value)) return value.forEach(registerSecretsIn);
  if (!value || typeof value !== "object") return;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === "string" && isSecretName(k)) registerSecret(v);
    else registerSecretsIn(v);
  }
}
