export { BentoAuthError, BentoConfigError } from "./errors.js";
export type { BentoAuthErrorCode, BentoConfigErrorCode } from "./errors.js";
export { resolveOptions } from "./config.js";
export type { ResolvedOptions, ConnectionOptions } from "./config.js";
