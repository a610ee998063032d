import { BentoAuthError, BentoConfigError } from "./errors.js";
import { maskSecret } from "./log.js";
import { hostEnv } from "./platform/env.js";

/** `util.inspect.custom`, by its registry name: bundles that drop the rest of this file keep no `node:util` import. */
const INSPECT_CUSTOM = Symbol.for("nodejs.util.inspect.custom");

export const DEFAULT_BASE_URL = "https://api.bentolabs.ai";
export const API_KEY_PREFIX = "bl_pk_";

/** The one table of environment variables the SDK reads. */
export const ENV = {
  apiKey: "BENTOLABS_API_KEY",
  baseUrl: "BENTOLABS_BASE_URL",
  logLevel: "BENTOLABS_LOG_LEVEL",
  enabled: "BENTOLABS_ENABLED",
  environment: "BENTOLABS_ENVIRONMENT",
  release: "BENTOLABS_RELEASE",
} as const;

/** Connection settings after resolution: option, then environment, then default. */
export interface ResolvedOptions {
  readonly apiKey: string;
  readonly baseUrl: string;
}

export interface ConnectionOptions {
  /** Workspace API key (`bl_pk_…`). Default: `BENTOLABS_API_KEY`. */
  apiKey?: string;
  /** Bento API origin. Default: `BENTOLABS_BASE_URL`, else `https://api.bentolabs.ai`. */
  baseUrl?: string;
}

function nonEmpty(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}

/** Validate and normalise a base URL; the error names the offending value. */
export function normalizeBaseUrl(raw: string): string {
  const value = raw.trim();
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new BentoConfigError(
      "invalid_base_url",
      `Invalid Bento base URL ${JSON.stringify(value)}: it must start with http:// or https:// ` +
        `(for example "${DEFAULT_BASE_URL}"). Set it with init({ baseUrl }) or ${ENV.baseUrl}.`,
    );
  }
  return value.replace(/\/+$/, "");
}

/** Validate an API key's shape; never includes the key in the message. */
export function validateApiKey(raw: string | undefined): string {
  const key = nonEmpty(raw);
  if (!key) {
    throw new BentoAuthError(
      "missing_api_key",
      `No Bento API key: pass init({ apiKey }) or set ${ENV.apiKey} (keys start with "${API_KEY_PREFIX}").`,
    );
  }
  if (!key.startsWith(API_KEY_PREFIX)) {
    throw new BentoAuthError(
      "invalid_api_key_format",
      `The Bento API key does not start with "${API_KEY_PREFIX}". Copy the workspace key from Bento's settings.`,
    );
  }
  return key;
}

/**
 * Resolve `{ apiKey, baseUrl }` exactly as `init()` does: explicit option, then environment,
 * then default. Throws `BentoAuthError` / `BentoConfigError` for bad values. The result is frozen
 * and masks the key when inspected.
 *
 * @example
 * const { baseUrl } = bento.resolveOptions();
 */
export function resolveOptions(options: ConnectionOptions = {}, env: NodeJS.ProcessEnv = hostEnv()): ResolvedOptions {
  const apiKey = validateApiKey(nonEmpty(options.apiKey) ?? env[ENV.apiKey]);
  const baseUrl = normalizeBaseUrl(nonEmpty(options.baseUrl) ?? nonEmpty(env[ENV.baseUrl]) ?? DEFAULT_BASE_URL);
  const resolved = { apiKey, baseUrl };
  Object.defineProperty(resolved, INSPECT_CUSTOM, {
    value: () => `{ apiKey: '${maskSecret(apiKey)}', baseUrl: '${baseUrl}' }`,
  });
  return Object.freeze(resolved);
}

/** True for loopback hosts, where plain http:// is acceptable. */
export function isLoopback(baseUrl: string): boolean {
  const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}

/**
 * Refuse a plain http:// base URL to a non-loopback host unless `allowInsecureHttp` is set: the
 * API key would travel in cleartext. Loopback hosts (a local dev server) are always allowed.
 */
export function assertSecureBaseUrl(baseUrl: string, allowInsecureHttp: boolean | undefined): void {
  if (allowInsecureHttp === true || !baseUrl.startsWith("http:") || isLoopback(baseUrl)) return;
  throw new BentoConfigError(
    "insecure_base_url",
    `Refusing to send the Bento API key over plain http:// to ${new URL(baseUrl).origin}. ` +
      `Use an https:// base URL, or pass allowInsecureHttp: true if this network is trusted (a self-hosted or local setup).`,
  );
}

/** Where the app runs and which build it is; both optional. */
export interface DeploymentOptions {
  /** `deployment.environment.name` on every span's resource ("production", "staging"…). Default: `BENTOLABS_ENVIRONMENT`. */
  environment?: string;
  /** `service.version` on every span's resource (a version or commit sha). Default: `BENTOLABS_RELEASE`. */
  release?: string;
}

/** Resource attributes for {@link DeploymentOptions}: option, then environment; a non-string option throws. */
export function resolveDeployment(options: DeploymentOptions = {}, env: NodeJS.ProcessEnv = hostEnv()): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, key, variable] of [
    ["environment", "deployment.environment.name", ENV.environment],
    ["release", "service.version", ENV.release],
  ] as const) {
    const raw = options[field];
    if (raw !== undefined && typeof raw !== "string") {
      throw new BentoConfigError(
        "invalid_option",
        `${field} must be a string (e.g. ${field === "environment" ? '"production"' : '"1.4.2"'}); got ${typeof raw}.`,
      );
    }
    const value = nonEmpty(raw) ?? nonEmpty(env[variable]);
    if (value) out[key] = value;
  }
  return out;
}
