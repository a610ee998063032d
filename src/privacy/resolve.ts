import { BentoConfigError } from "../errors.js";
import { log, registerSecret } from "../log.js";
import { hostEnv } from "../platform/env.js";
import { DETECTOR_NAMES, DETECTORS, type Detector, isDetectorName } from "./detectors.js";
import type { PrivacyOptions, RedactHook, RedactionMode, SampledRun, SamplingOptions } from "./options.js";

/** Environment variables of the privacy options (the SDK's one env table lives in config.ts). */
export const PRIVACY_ENV = {
  redact: "BENTOLABS_REDACT",
  redactMode: "BENTOLABS_REDACT_MODE",
  hashKey: "BENTOLABS_REDACT_HASH_KEY",
  captureContent: "BENTOLABS_CAPTURE_CONTENT",
  sampleRate: "BENTOLABS_SAMPLE_RATE",
} as const;

export interface ResolvedPrivacy {
  readonly hook: RedactHook | undefined;
  /** In run order: secrets first, so a key is never half-eaten by the phone detector. */
  readonly detectors: readonly Detector[];
  readonly mode: RedactionMode;
  readonly hashKey: string | undefined;
  readonly captureContent: boolean;
}

export interface ResolvedSampling {
  readonly sampleRate: number;
  readonly keep: (run: SampledRun) => boolean;
  readonly maxBufferedSpans: number;
}

const MODES: readonly RedactionMode[] = ["replace", "hash", "drop"];
const FALSE = new Set(["false", "0", "no", "off"]);
const TRUE = new Set(["true", "1", "yes", "on"]);

/** Parse a boolean env var; undefined when unset or unreadable (with a warning). */
export function envFlag(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return undefined;
  if (FALSE.has(raw)) return false;
  if (TRUE.has(raw)) return true;
  log.warnOnce(`env_${name}`, `${name}=${JSON.stringify(raw)} is not true/false; ignoring it.`);
  return undefined;
}

function bad(message: string): never {
  throw new BentoConfigError("invalid_option", message);
}

/**
 * Option, then environment, then default. A bad *option* throws a `BentoConfigError` naming it; a
 * bad *environment* value never throws (lazy init must not): it warns once and fails closed, i.e.
 * an unknown detector name turns every detector on, an unusable hash mode falls back to replace.
 */
export function resolvePrivacy(o: PrivacyOptions = {}, env: NodeJS.ProcessEnv = hostEnv()): ResolvedPrivacy {
  if (o.redact !== undefined && typeof o.redact !== "function")
    bad(`redact must be a function (value, { key, span }) => value | undefined; got ${typeof o.redact}.`);
  const r = o.redaction ?? {};
  if (typeof r !== "object" || r === null) bad('redaction must be an object such as { detectors: ["email"], mode: "replace" }.');

  let names: readonly string[];
  if (r.detectors !== undefined) {
    if (r.detectors === "all") names = DETECTOR_NAMES;
    else if (Array.isArray(r.detectors)) {
      const unknown = r.detectors.filter((n) => !isDetectorName(n));
      if (unknown.length)
        bad(`Unknown redaction detector ${JSON.stringify(unknown[0])}: use ${DETECTOR_NAMES.map((n) => `"${n}"`).join(", ")} or "all".`);
      names = r.detectors;
    } else bad(`redaction.detectors must be an array of detector names or "all".`);
  } else names = detectorsFromEnv(env[PRIVACY_ENV.redact]);

  let mode: RedactionMode = "replace";
  if (r.mode !== undefined) {
    if (!MODES.includes(r.mode)) bad(`redaction.mode ${JSON.stringify(r.mode)} is not one of "replace", "hash", "drop".`);
    mode = r.mode;
  } else {
    const raw = env[PRIVACY_ENV.redactMode]?.trim().toLowerCase();
    if (raw && MODES.includes(raw as RedactionMode)) mode = raw as RedactionMode;
    else if (raw)
      log.warnOnce("env_redact_mode", `${PRIVACY_ENV.redactMode}=${JSON.stringify(raw)} is not replace/hash/drop; using replace.`);
  }

  let hashKey = r.hashKey;
  if (hashKey !== undefined && (typeof hashKey !== "string" || hashKey.length < 16)) {
    bad(`redaction.hashKey must be a secret string of at least 16 characters (or set ${PRIVACY_ENV.hashKey}).`);
  }
  if (hashKey === undefined) {
    const fromEnv = env[PRIVACY_ENV.hashKey]?.trim();
    if (fromEnv && fromEnv.length >= 16) hashKey = fromEnv;
    else if (fromEnv) log.warnOnce("env_hash_key", `${PRIVACY_ENV.hashKey} is shorter than 16 characters; ignoring it.`);
  }
  if (mode === "hash" && !hashKey) {
    if (r.mode === "hash")
      bad(`redaction.mode "hash" needs a key: pass redaction.hashKey or set ${PRIVACY_ENV.hashKey} (at least 16 characters).`);
    log.warnOnce("hash_no_key", `${PRIVACY_ENV.redactMode}=hash needs ${PRIVACY_ENV.hashKey}; replacing matches with markers instead.`);
    mode = "replace";
  }
  if (hashKey) registerSecret(hashKey);

  if (o.captureContent !== undefined && typeof o.captureContent !== "boolean")
    bad(`captureContent must be true or false; got ${JSON.stringify(o.captureContent)}.`);
  const captureContent = o.captureContent ?? envFlag(env, PRIVACY_ENV.captureContent) ?? true;

  const set = new Set(names);
  return { hook: o.redact, detectors: DETECTOR_NAMES.filter((n) => set.has(n)).map((n) => DETECTORS[n]), mode, hashKey, captureContent };
}

function detectorsFromEnv(raw: string | undefined): readonly string[] {
  const list = (raw ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (list.length === 0 || (list.length === 1 && list[0] === "none")) return [];
  if (list.includes("all")) return DETECTOR_NAMES;
  const unknown = list.filter((n) => !isDetectorName(n));
  if (unknown.length) {
    log.warnOnce(
      "env_redact",
      `${PRIVACY_ENV.redact} names unknown detector(s) ${unknown.join(", ")}; turning every detector on (${DETECTOR_NAMES.join(", ")}).`,
    );
    return DETECTOR_NAMES;
  }
  return list;
}

/** The default `keep` rule: runs with an error are always sent. */
export const keepErrors = (run: SampledRun): boolean => run.hasError;

export function resolveSampling(o: SamplingOptions = {}, env: NodeJS.ProcessEnv = hostEnv()): ResolvedSampling {
  let sampleRate = 1;
  if (o.sampleRate !== undefined) {
    if (typeof o.sampleRate !== "number" || !(o.sampleRate >= 0 && o.sampleRate <= 1))
      bad(`sampleRate must be a number from 0 to 1 (e.g. 0.1 keeps one run in ten); got ${JSON.stringify(o.sampleRate)}.`);
    sampleRate = o.sampleRate;
  } else {
    const raw = env[PRIVACY_ENV.sampleRate]?.trim();
    const n = raw ? Number(raw) : NaN;
    if (raw && n >= 0 && n <= 1) sampleRate = n;
    else if (raw)
      log.warnOnce("env_sample_rate", `${PRIVACY_ENV.sampleRate}=${JSON.stringify(raw)} is not a number from 0 to 1; sending every run.`);
  }
  if (o.keep !== undefined && typeof o.keep !== "function") bad(`keep must be a function (run) => boolean; got ${typeof o.keep}.`);
  const max = o.maxBufferedSpans;
  if (max !== undefined && !(Number.isInteger(max) && max > 0))
    bad(`maxBufferedSpans must be a positive integer; got ${JSON.stringify(max)}.`);
  return { sampleRate, keep: o.keep ?? keepErrors, maxBufferedSpans: max ?? 10_000 };
}
