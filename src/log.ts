/**
 * The SDK's one logger. Levels come from BENTOLABS_LOG_LEVEL (debug | info | warn | error | silent,
 * default warn). Every line passes through `redact`, so a registered secret never reaches output.
 */
import { hostEnv } from "./platform/env.js";

type Level = "debug" | "info" | "warn" | "error" | "silent";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

const secrets = new Set<string>();
const once = new Set<string>();
const lastByKey = new Map<string, number>();

/** Remember a secret so that it is masked in every log line from now on. */
export function registerSecret(secret: string | undefined): void {
  if (secret && secret.length >= 4) secrets.add(secret);
}

/** Show at most the last 4 characters of a secret: `bl_pk_…abcd`. */
export function maskSecret(secret: string): string {
  return secret.length <= 8 ? "…" : `${secret.startsWith("bl_pk_") ? "bl_pk_" : ""}…${secret.slice(-4)}`;
}

const KEY_PATTERN = /bl_pk_[A-Za-z0-9_-]{4,}/g;

/** Mask registered secrets and anything shaped like a Bento API key. */
export function redact(text: string): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(maskSecret(s));
  return out.replace(KEY_PATTERN, (m) => (m.startsWith("bl_pk_…") ? m : maskSecret(m)));
}

function threshold(): number {
  const raw = (hostEnv().BENTOLABS_LOG_LEVEL ?? "warn").toLowerCase() as Level;
  return ORDER[raw] ?? ORDER.warn;
}

function emit(level: Exclude<Level, "silent">, message: string): void {
  if (ORDER[level] < threshold()) return;
  const line = `[bentolabs] ${redact(message)}`;
  try {
    if (level === "error") console.error(line);
    else if (level === "warn") console.warn(line);
    else console.log(line);
  } catch {
    // a broken console must never break the host
  }
}

export const log = {
  debug: (m: string) => emit("debug", m),
  info: (m: string) => emit("info", m),
  warn: (m: string) => emit("warn", m),
  error: (m: string) => emit("error", m),
  /** Log a warning the first time `key` is seen in this process. */
  warnOnce(key: string, m: string): void {
    if (once.has(key)) return;
    once.add(key);
    emit("warn", m);
  },
  /** Log a warning at most once per `intervalMs` for `key`. */
  warnEvery(key: string, intervalMs: number, m: string, now = Date.now()): void {
    const last = lastByKey.get(key);
    if (last !== undefined && now - last < intervalMs) return;
    lastByKey.set(key, now);
    emit("warn", m);
  },
};

/** Tests only: forget which one-time warnings were already printed. */
export function resetLogState(): void {
  once.clear();
  lastByKey.clear();
}
