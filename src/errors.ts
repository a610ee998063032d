/** A typed SDK error: a `name`, a machine `code`, an optional `cause`, and a message that says what to do. */
export abstract class BentoCodedError<Code extends string> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Machine-readable reasons for {@link BentoAuthError}. */
export type BentoAuthErrorCode = "missing_api_key" | "invalid_api_key_format" | "already_initialized";

/**
 * Thrown by explicit `init()`, `resolveOptions()` and the exporter/processor constructors when
 * the API key is missing, malformed, or conflicts with the running configuration.
 * The message never contains the key itself.
 *
 * @example
 * try { bento.init({ apiKey: "oops" }) } catch (e) { if (e instanceof bento.BentoAuthError) console.log(e.code) }
 */
export class BentoAuthError extends BentoCodedError<BentoAuthErrorCode> {
  override readonly name = "BentoAuthError";
}

/** Machine-readable reasons for {@link BentoConfigError}. */
export type BentoConfigErrorCode = "invalid_base_url" | "insecure_base_url" | "invalid_option";

/**
 * Thrown by explicit `init()` / `resolveOptions()` and the processor/exporter constructors for
 * configuration other than the API key: a base URL without an `http://` or `https://` scheme
 * (`invalid_base_url`), or plain `http://` to a non-loopback host without `allowInsecureHttp: true`
 * (`insecure_base_url`).
 *
 * @example
 * bento.init({ apiKey, baseUrl: "api.bentolabs.ai" }) // throws BentoConfigError (invalid_base_url)
 */
export class BentoConfigError extends BentoCodedError<BentoConfigErrorCode> {
  override readonly name = "BentoConfigError";
}
